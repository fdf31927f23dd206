import Foundation

/// The rows of one part of a file, as one thread read them: a builder per column, the line of
/// each row (from the part's start: 1 is its first line), and the columns that held text where
/// numbers were expected.
struct TablePart {
    var builders: [ColumnBuilder]
    var lines: [Int]
    var flipped: Set<Int>
    /// The line after the part's last row, counted from the part's start.
    var nextLine: Int

    /// The parts' columns and lines joined in order, each part's lines numbered on from the
    /// previous part's; text codes renumbered into the first part's values. Column by column,
    /// each part's column freed once joined: the rows are held about once, not twice.
    static func merge(_ parts: inout [TablePart]) -> ([TableColumn], [Int]) {
        var lines = parts[0].lines
        var offset = parts[0].nextLine - 1
        for part in parts.dropFirst() {
            lines.append(contentsOf: part.lines.lazy.map { $0 + offset })
            offset += part.nextLine - 1
        }
        // Column by column, on this thread: joining on several, each thread's allocator kept the
        // pieces it freed, and the peak grew by half.
        var columns = [TableColumn]()
        for j in parts[0].builders.indices {
            var pieces = [TableColumn]()
            for p in parts.indices { pieces.append(parts[p].builders[j].take()) }
            columns.append(pieces.count == 1 ? pieces[0] : TableColumn.joined(pieces))
        }
        return (columns, lines)
    }
}

/// Reads rows into a `TablePart`, for one part of a file or the whole of it.
struct PartReader {
    let names: [String]
    let dialect: CSVDialect
    let text: Set<String>
    let path: String

    /// Every record the tokenizer has left, into one builder per column.
    func read(_ tokenizer: CSVTokenizer, rowGuess guess: Int, lineOffset: Int = 0) throws -> TablePart {
        let n = names.count
        // The builders in memory of their own: appending through an array of them retained and
        // released each builder's buffers for every cell (a third of the time).
        let builders = UnsafeMutableBufferPointer<ColumnBuilder>.allocate(capacity: n)
        _ = builders.initialize(from: names.map { ColumnBuilder(text: text.contains($0), capacity: guess) })
        defer {
            builders.deinitialize()
            builders.deallocate()
        }
        var lines = [Int]()
        lines.reserveCapacity(guess)
        var flipped = Set<Int>()
        let decimal = dialect.decimal
        // Rows of plain numbers are read straight into a block of rows, while every column is one,
        // and the block handed to the columns when full (or before a row read otherwise).
        let blockRows = 1024
        let block = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * n)
        let spans = UnsafeMutablePointer<Int>.allocate(capacity: 2 * n)
        let isText = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        defer {
            block.deallocate()
            spans.deallocate()
            isText.deallocate()
        }
        for j in 0..<n { isText[j] = builders[j].isText }
        let numericColumns = (0..<n).filter { !isText[$0] }, textColumns = (0..<n).filter { isText[$0] }
        var staged = 0, scratch = [UInt8]()
        func flush() {
            for j in numericColumns { builders[j].append(from: block + j, stride: n, count: staged) }
            staged = 0
        }
        // Simple rows are read where they lie while every column holds what it was read as.
        var simple = decimal == UInt8(ascii: ".")
        while true {
            if simple && tokenizer.nextSimpleRecord(n, text: isText, numbers: block + staged * n, spans: spans) {
                for j in textColumns {
                    if spans[2 * j + 1] < 0 {
                        // `""` in a quoted text, read as `"` into a scratch copy.
                        let (start, end) = tokenizer.bytes(from: spans[2 * j], to: -spans[2 * j + 1])
                        scratch.removeAll(keepingCapacity: true)
                        var k = 0
                        while k < end - start {
                            scratch.append(start[k])
                            k += start[k] == UInt8(ascii: "\"") ? 2 : 1
                        }
                        scratch.withUnsafeBufferPointer {
                            builders[j].appendText($0.baseAddress!, $0.baseAddress! + $0.count)
                        }
                    } else {
                        let (start, end) = tokenizer.bytes(from: spans[2 * j], to: spans[2 * j + 1])
                        builders[j].appendText(start, end)
                    }
                }
                staged += 1
                lines.append(tokenizer.line)
                if staged == blockRows {
                    flush()
                    if lines.count & 0xFFFF == 0 { try requireBudget(rows: lines.count) }
                }
                continue
            }
            if staged > 0 { flush() }
            guard try tokenizer.nextRecord() else { break }
            let fields = tokenizer.fields, line = tokenizer.line
            guard fields.count == n else {
                throw DNNError("\(path):\(line + lineOffset): \(fields.count) fields, but the header has \(n)")
            }
            for j in 0..<n {
                let field = fields[j]
                if builders[j].isText {
                    if field.escaped {
                        // `""` read as `"`: through the text, whose bytes are then interned.
                        var text = tokenizer.text(field)
                        text.withUTF8 { builders[j].appendText($0.baseAddress!, $0.baseAddress! + $0.count) }
                    } else {
                        let (start, end) = tokenizer.bytes(field)
                        builders[j].appendText(start, end)
                    }
                    continue
                }
                let (start, end) = tokenizer.bytes(field)
                if !builders[j].appendNumber(start, end, decimal: decimal) {
                    flipped.insert(j)
                    // Kept in step with the other columns; this column is read again as text.
                    builders[j].appendMissingNumber()
                    simple = false
                }
            }
            lines.append(line)
            if lines.count & 0xFFFF == 0 { try requireBudget(rows: lines.count) }
        }
        return TablePart(builders: Array(builders), lines: lines, flipped: flipped, nextLine: tokenizer.nextLine)
    }

    /// Every 65,536 rows: the columns so far, doubled for their growth, within the memory budget.
    private func requireBudget(rows: Int) throws {
        try ResourceLimits.require(
            ResourceLimits.bytes([rows, names.count + 1, 2], each: 8),
            for: "\(path): reading \(rows) rows of \(names.count) columns")
    }

    /// The rows after the header read in parts by the machine's threads: `first` (past the
    /// header) up to `splits[0]`, a new tokenizer from each split to the next, the last to the end.
    /// More parts than threads, so that a thread that finishes early takes another. When a part
    /// does not end at its split on a record's end (its line break was inside quotes), or a later
    /// part fails (its lines cannot be numbered), one thread reads the rows again.
    func readInParts(_ first: CSVTokenizer, splits: [Int], size: Int) throws -> [TablePart] {
        let bounds = splits + [size]
        let guess = Table.rowGuess(size / bounds.count, names.count)
        // Each part has a tokenizer of its own and writes only its own result.
        final class Work: @unchecked Sendable {
            let tokenizers: [CSVTokenizer]
            var parts: [Result<TablePart, any Error>?]
            init(_ tokenizers: [CSVTokenizer]) {
                self.tokenizers = tokenizers
                parts = Array(repeating: nil, count: tokenizers.count)
            }
        }
        first.limitSource(to: bounds[0])
        var tokenizers = [first]
        for k in 1..<bounds.count {
            let tokenizer = CSVTokenizer(source: try CSVByteSource(path: path, start: bounds[k - 1], limit: bounds[k]))
            tokenizer.delimiter = dialect.delimiter
            tokenizers.append(tokenizer)
        }
        let work = Work(tokenizers)
        DispatchQueue.concurrentPerform(iterations: tokenizers.count) { index in
            work.parts[index] = Result { try read(work.tokenizers[index], rowGuess: guess) }
            work.tokenizers[index].releaseBuffer()  // a finished part's block is not held to the end
        }
        var parts = [TablePart]()
        for (index, result) in work.parts.enumerated() {
            guard case .success(let part)? = result, !tokenizers[index].stoppedInQuotes else {
                if index == 0, case .failure(let error)? = result, !first.stoppedInQuotes { throw error }
                return [try sequentialRestart(size: size)]
            }
            parts.append(part)
        }
        return parts
    }

    /// The rows after the header read again by one thread, to the end of the file.
    private func sequentialRestart(size: Int) throws -> TablePart {
        let tokenizer = CSVTokenizer(source: try CSVByteSource(path: path))
        tokenizer.delimiter = dialect.delimiter
        _ = try tokenizer.nextRecord()  // the header
        return try read(tokenizer, rowGuess: Table.rowGuess(size, names.count))
    }
}
