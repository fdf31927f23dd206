import Foundation

/// A delimited text file as columns (see `TableColumn`): its header's names, each column's cells
/// as numbers or text, and the line each row starts on (for messages).
///
/// Read block by block, never whole: CSV, TSV (`.tsv`), either gzip-compressed (`.gz`), with a
/// delimiter detected among `,` `;` tab `|` unless given, a UTF-8 byte order mark dropped, LF or
/// CRLF line ends, RFC 4180 quoting, and numbers read correctly rounded with the dialect's decimal
/// mark. A column is read as numbers until a cell is neither a number nor missing; then the file
/// is read again with that column as text.
public struct Table: Sendable {
    /// The file, for messages.
    public let source: String
    /// The header's names, one per column.
    public let names: [String]
    /// The columns, in the file's order.
    public internal(set) var columns: [TableColumn]
    /// The line (from 1) on which each row starts.
    public internal(set) var lines: [Int]
    /// The delimiter and decimal mark the file was read with.
    public let dialect: CSVDialect

    /// The rows (examples) read.
    public var rowCount: Int { lines.count }

    /// Reads the file at `path`. `delimiter` nil: a tab for `.tsv`, else detected (a comma when
    /// the first lines do not tell). `text` names columns to read as text whatever they hold.
    ///
    /// A plain file of more than 16 MB is read in parts by the machine's threads (two parts a
    /// thread, so that one finishing early takes another): each part after the first starts after a line break past its share of the bytes,
    /// taken to be outside quotes; when the part before finds that it was inside them, or a part
    /// meets a problem (whose line it cannot number), the file is read again by one thread.
    public static func read(
        _ path: String, delimiter: UInt8? = nil, decimal: UInt8 = UInt8(ascii: "."), text: Set<String> = []
    ) throws -> Table {
        let tokenizer = CSVTokenizer(source: try CSVByteSource(path: path))
        let lowered = path.lowercased()
        let chosen: UInt8
        if let delimiter {
            chosen = delimiter
        } else if lowered.hasSuffix(".tsv") || lowered.hasSuffix(".tsv.gz") {
            chosen = UInt8(ascii: "\t")
        } else {
            chosen =
                CSVDialect.detectDelimiter(try tokenizer.sample(1 << 16)).flatMap { $0 == decimal ? nil : $0 }
                ?? (decimal == UInt8(ascii: ",") ? UInt8(ascii: ";") : UInt8(ascii: ","))
        }
        guard chosen != decimal else {
            throw DNNError(
                "\(path): the delimiter and the decimal mark are both '\(Character(Unicode.Scalar(chosen)))'")
        }
        tokenizer.delimiter = chosen
        let dialect = CSVDialect(delimiter: chosen, decimal: decimal)
        guard try tokenizer.nextRecord() else { throw DNNError("\(path): empty file; expected a header row") }
        let names = tokenizer.fields.map(tokenizer.text)
        if names.count == 1,
            let other = CSVDialect.candidates.first(where: { $0 != chosen && names[0].utf8.contains($0) })
        {
            // One column whose name holds another delimiter: the file is not in this dialect.
            let shown = { (byte: UInt8) in byte == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(byte)) }
            throw DNNError(
                "\(path): the delimiter '\(shown(chosen))' gives one column, but the header holds '\(shown(other))'; "
                    + "pass --delimiter \(shown(other) == "tab" ? "tab" : shown(other))")
        }
        let size = CSVByteSource.isCompressed(path) ? 0 : fileSize(path)
        // Columns whose first rows hold text are read as text from the start, not read as numbers
        // and then again.
        let text = text.union(try textInFirstRows(path, dialect: dialect, names: names))
        let reader = PartReader(names: names, dialect: dialect, text: text, path: path)
        var parts: [TablePart]
        let threads = ProcessInfo.processInfo.activeProcessorCount
        if size > 16 << 20, threads > 1,
            let splits = try splitPoints(path, after: tokenizer.consumed, size: size, parts: threads)
        {
            parts = try reader.readInParts(tokenizer, splits: splits, size: size)
        } else {
            parts = [try reader.read(tokenizer, rowGuess: rowGuess(size, names.count))]
        }
        let flipped = parts.reduce(into: Set<String>()) { $0.formUnion($1.flipped.map { names[$0] }) }
        if !flipped.isEmpty {
            parts = []  // not held while the file is read again
            return try read(path, delimiter: chosen, decimal: decimal, text: text.union(flipped))
        }
        let (columns, lines) = TablePart.merge(&parts)
        return Table(source: path, names: names, columns: columns, lines: lines, dialect: dialect)
    }

    /// The columns whose cells in the first 256 KB of the file include one that is neither a
    /// number nor missing. A record cut by that limit, and any problem there, ends the look (the
    /// whole read meets it again, with its line).
    private static func textInFirstRows(_ path: String, dialect: CSVDialect, names: [String]) throws -> Set<String> {
        let tokenizer = CSVTokenizer(source: try CSVByteSource(path: path, limit: 1 << 18), blockSize: 1 << 18)
        tokenizer.delimiter = dialect.delimiter
        var text = Set<String>()
        do {
            _ = try tokenizer.nextRecord()  // the header
            while try tokenizer.nextRecord(), tokenizer.fields.count == names.count {
                for (j, field) in tokenizer.fields.enumerated() where !text.contains(names[j]) {
                    let (start, end) = tokenizer.bytes(field)
                    if NumberParsing.number(start, end, decimal: dialect.decimal) == nil
                        && !MissingValues.isMissing(start, end)
                    {
                        text.insert(names[j])
                    }
                }
            }
        } catch {}
        return text
    }

    /// The size of the file at `path` in bytes (0 when unknown).
    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// Rows guessed from a file's size, to reserve the columns: a row of n numbers takes at least
    /// 2n bytes (a compressed file's size is not known: a small start).
    static func rowGuess(_ bytes: Int, _ columns: Int) -> Int {
        bytes == 0 ? 1024 : min(max(bytes / max(4 * columns, 1), 16), 1 << 24)
    }

    /// Where parts 2, 3, … of the rows start: after the first line break past each equal share
    /// of the bytes after the header; nil when one has none within 1 MB of it.
    private static func splitPoints(_ path: String, after header: Int, size: Int, parts: Int) throws -> [Int]? {
        let window = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
        defer { window.deallocate() }
        var splits = [Int]()
        for k in 1..<parts {
            let start = header + (size - header) * k / parts
            let source = try CSVByteSource(
                path: path, start: start, limit: min(size, start + (1 << 20)), validates: false)
            let count = try source.read(into: window, count: 1 << 20)
            guard let newline = (0..<count).first(where: { window[$0] == UInt8(ascii: "\n") }) else { return nil }
            let split = start + newline + 1
            guard split < size, splits.last.map({ split > $0 }) ?? true else { return nil }
            splits.append(split)
        }
        return splits
    }

    /// The rows with a value (not a missing cell) in every column of `columns` (indices), in order.
    public func rows(withValuesIn columns: [Int]) -> [Int] {
        (0..<rowCount).filter { row in columns.allSatisfy { self.columns[$0].text(row) != nil } }
    }

    /// The rows `rows`, in that order.
    public func selecting(_ rows: [Int]) -> Table {
        var part = self
        part.columns = columns.map { $0.selecting(rows) }
        part.lines = rows.map { lines[$0] }
        return part
    }
}
