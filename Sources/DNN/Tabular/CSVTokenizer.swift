import CNumberParsing

/// The records of a delimited text file, one at a time, as the byte ranges of their fields in a
/// buffer refilled block by block (a record is never cut by a block's end). RFC 4180: a field in
/// double quotes may hold delimiters, line breaks and quotes written `""`; records end with LF or
/// CRLF; blank lines are skipped. An unquoted field may hold a quote, taken as it is.
final class CSVTokenizer {
    /// A field of the current record: bytes [start, end) of the buffer; `quoted` when it was in
    /// quotes (`start` and `end` then leave them out), `escaped` when it holds a `""`.
    struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
        var escaped: Bool
    }

    private let source: CSVByteSource
    /// The byte between fields; set once the dialect is known (see `sample`).
    var delimiter: UInt8
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes of the buffer filled, and where the next record starts.
    private var filled = 0, position = 0
    private var exhausted = false
    /// The current record's fields, and the line it starts on (from 1).
    private(set) var fields = [Field]()
    private(set) var line = 0
    /// The line the next record starts on.
    private(set) var nextLine = 1
    /// The byte of the file where the records read so far end, counted from where the source
    /// started.
    var consumed: Int { bytesBefore + position }
    private var bytesBefore = 0
    /// Whether reading stopped at the end of the source inside a quoted field (for a part of a
    /// file: its end was not a record's end).
    private(set) var stoppedInQuotes = false

    /// Frees the block buffer once reading is over (a part read by one of several threads).
    func releaseBuffer() {
        buffer.deallocate()
        (buffer, capacity, filled, position) = (.allocate(capacity: 1), 1, 0, 0)
    }

    /// Ends the source at byte `limit` of the file (a part read by one of several threads).
    func limitSource(to limit: Int) { source.limit = limit }

    init(source: CSVByteSource, delimiter: UInt8 = UInt8(ascii: ","), blockSize: Int = 1 << 22) {
        self.source = source
        self.delimiter = delimiter
        capacity = blockSize
        buffer = .allocate(capacity: blockSize)
        fields.reserveCapacity(64)
    }

    deinit { buffer.deallocate() }

    /// The bytes of `field`.
    @inline(__always)
    func bytes(_ field: Field) -> (UnsafePointer<UInt8>, UnsafePointer<UInt8>) {
        (UnsafePointer(buffer + field.start), UnsafePointer(buffer + field.end))
    }

    /// The text of `field`, its `""` read as `"`; nil when it is not valid UTF-8 (the source has
    /// checked the file, so this does not happen).
    func text(_ field: Field) -> String {
        let (start, end) = bytes(field)
        let raw = UnsafeBufferPointer(start: start, count: end - start)
        guard field.escaped else { return String(decoding: raw, as: UTF8.self) }
        var unescaped = [UInt8]()
        unescaped.reserveCapacity(raw.count)
        var k = 0
        while k < raw.count {
            unescaped.append(raw[k])
            k += raw[k] == UInt8(ascii: "\"") ? 2 : 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// The first bytes of the file (up to `count`), for detecting its dialect; read again by
    /// `nextRecord`.
    func sample(_ count: Int) throws -> UnsafeBufferPointer<UInt8> {
        try fill(atLeast: min(count, capacity))
        return UnsafeBufferPointer(start: buffer + position, count: min(count, filled - position))
    }

    /// Moves to the next record that is not blank; false at the end of the file. Throws when a
    /// quoted field is not closed, or a closing quote is followed by anything but a delimiter or
    /// a line break.
    func nextRecord() throws -> Bool {
        while true {
            switch try scanRecord() {
            case .record: return true
            case .blank: continue
            case .end: return false
            }
        }
    }

    /// The next record read where it lies, when it is simple: no number is quoted, and
    /// every field of a column of numbers (`text[j]` false) is exactly a number or empty (NaN),
    /// and a quoted text holds no line break. Numbers go to `numbers[j]`; a text field's bytes
    /// (spaces around it, or its quotes, left out) to `spans[2j] ..< spans[2j + 1]` of the buffer,
    /// valid until the next record is read; a negative end marks a quoted text holding `""`. False,
    /// reading nothing, for any other record, one that runs past the bytes read, or the end:
    /// `nextRecord` then reads it field by field. (A row of plain numbers is most of a numeric
    /// file; found and parsed in one pass, not tokenized first.)
    @inline(__always)
    func nextSimpleRecord(
        _ count: Int, text: UnsafePointer<Bool>, numbers: UnsafeMutablePointer<Double>, spans: UnsafeMutablePointer<Int>
    ) -> Bool {
        let end = filled, base = UnsafeRawPointer(buffer).assumingMemoryBound(to: CChar.self)
        let delimiter = self.delimiter, newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        var p = position
        for j in 0..<count {
            guard p < end else { return false }
            var q: Int
            let first = buffer[p]
            if text[j] && first == UInt8(ascii: "\"") {
                // A quoted text on one line: its bytes between the quotes, `""` pairs marked by a
                // negative end for the reader to undo.
                q = p + 1
                var escaped = false
                while true {
                    while q < end && buffer[q] != UInt8(ascii: "\"") && buffer[q] != newline { q += 1 }
                    guard q + 1 < end, buffer[q] != newline else { return false }
                    guard buffer[q + 1] == UInt8(ascii: "\"") else { break }
                    escaped = true
                    q += 2
                }
                (spans[2 * j], spans[2 * j + 1]) = (p + 1, escaped ? -q : q)
                q += 1
            } else if text[j] {
                q = p
                while q < end {
                    let byte = buffer[q]
                    if byte == delimiter || byte == newline || byte == carriage { break }
                    q += 1
                }
                guard q < end else { return false }
                var (start, stop) = (p, q)
                while start < stop && buffer[start] == UInt8(ascii: " ") { start += 1 }
                while stop > start && buffer[stop - 1] == UInt8(ascii: " ") { stop -= 1 }
                (spans[2 * j], spans[2 * j + 1]) = (start, stop)
            } else if first == delimiter || first == newline || first == carriage {
                numbers[j] = .nan  // an empty cell: missing
                q = p
            } else {
                guard let stop = dnn_parse_double(base + p, base + end, numbers + j) else { return false }
                q = stop - base
                guard q < end else { return false }
            }
            let byte = buffer[q]
            if j < count - 1 {
                guard byte == delimiter else { return false }
                p = q + 1
            } else if byte == newline {
                p = q + 1
            } else if byte == carriage && q + 1 < end && buffer[q + 1] == newline {
                p = q + 2
            } else {
                return false
            }
        }
        position = p
        line = nextLine
        nextLine += 1
        return true
    }

    /// The bytes [start, end) of the buffer, as `nextSimpleRecord` gave them.
    @inline(__always)
    func bytes(from start: Int, to end: Int) -> (UnsafePointer<UInt8>, UnsafePointer<UInt8>) {
        (UnsafePointer(buffer + start), UnsafePointer(buffer + end))
    }

    private enum Scan { case record, blank, end }

    /// Scans one record from `position`, refilling the buffer when the record runs past it.
    private func scanRecord() throws -> Scan {
        while true {
            if position >= filled {
                if exhausted { return .end }
                try fill(atLeast: 1)
                if position >= filled { return .end }
            }
            if let result = try scan() { return result }
            // The record runs past the bytes read: read more and scan it again.
            try fill(atLeast: filled - position + 1)
        }
    }

    /// One record from `position`; nil when the bytes end before it does (and more may come).
    private func scan() throws -> Scan? {
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        let delimiter = self.delimiter, end = filled, buffer = self.buffer
        var p = position, lines = 0
        fields.removeAll(keepingCapacity: true)
        while true {
            var field: Field
            if p < end && buffer[p] == quote {
                // A quoted field: to the closing quote, a pair "" being one quote.
                var q = p + 1, escaped = false
                while true {
                    while q < end && buffer[q] != quote {
                        if buffer[q] == newline { lines += 1 }
                        q += 1
                    }
                    guard q < end else {
                        if exhausted {
                            stoppedInQuotes = true
                            throw DNNError(
                                "\(source.path):\(nextLine): a quoted field is not closed before the file ends")
                        }
                        return nil
                    }
                    if q + 1 < end && buffer[q + 1] == quote {
                        escaped = true
                        q += 2
                        continue
                    }
                    if q + 1 >= end && !exhausted { return nil }  // "" may continue in the next block
                    break
                }
                field = Field(start: p + 1, end: q, quoted: true, escaped: escaped)
                p = q + 1
                if p < end && buffer[p] != delimiter && buffer[p] != newline && buffer[p] != carriage {
                    throw DNNError(
                        "\(source.path):\(nextLine): field \(fields.count + 1): text after its closing quote; "
                            + "a quote inside a quoted field is written \"\"")
                }
            } else {
                var q = p
                while q < end {
                    let byte = buffer[q]
                    if byte == delimiter || byte == newline || byte == carriage { break }
                    q += 1
                }
                // Spaces around an unquoted field are not part of it.
                var (start, stop) = (p, q)
                while start < stop && buffer[start] == UInt8(ascii: " ") { start += 1 }
                while stop > start && buffer[stop - 1] == UInt8(ascii: " ") { stop -= 1 }
                field = Field(start: start, end: stop, quoted: false, escaped: false)
                p = q
            }
            fields.append(field)
            guard p < end else {
                guard exhausted else { return nil }
                return finish(at: p, lines: lines)
            }
            let byte = buffer[p]
            if byte == delimiter {
                p += 1
                continue
            }
            // A line break: LF, or CR LF (a CR alone ends the record too).
            if byte == carriage {
                if p + 1 >= end && !exhausted { return nil }
                p += p + 1 < end && buffer[p + 1] == newline ? 2 : 1
            } else {
                p += 1
            }
            return finish(at: p, lines: lines + 1)
        }
    }

    /// Ends the record scanned: moves past it and counts its lines; blank when it is one empty
    /// unquoted field.
    @inline(__always)
    private func finish(at p: Int, lines: Int) -> Scan {
        position = p
        line = nextLine
        nextLine += max(lines, 1)
        return fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end ? .blank : .record
    }

    /// Keeps the bytes from `position` on, moved to the buffer's start, and reads more after them
    /// until `count` bytes are there or the file ends; grows the buffer for a longer record.
    private func fill(atLeast count: Int) throws {
        let kept = filled - position
        if position > 0 {
            bytesBefore += position
            buffer.update(from: buffer + position, count: kept)
            position = 0
            filled = kept
        }
        if count > capacity {
            // One record longer than a block (a long text, or a quote never closed): grown as far
            // as the memory budget allows.
            try ResourceLimits.require(
                ResourceLimits.bytes([max(count, 2 * capacity)], each: 1),
                for: "\(source.path):\(nextLine): a record of more than \(ResourceLimits.describe(bytes: capacity))")
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 2 * capacity))
            larger.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = larger
            capacity = max(count, 2 * capacity)
        }
        while filled < count && !exhausted {
            let got = try source.read(into: buffer + filled, count: capacity - filled)
            if got == 0 { exhausted = true }
            filled += got
        }
    }
}
