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
        defer { block.deallocate() }
        var staged = 0
        func flush() {
            for j in 0..<n { builders[j].append(from: block + j, stride: n, count: staged) }
            staged = 0
        }
        var numeric = decimal == UInt8(ascii: ".") && !builders.contains { $0.isText }
        while true {
            if numeric && tokenizer.nextNumericRecord(n, into: block + staged * n) {
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
                    numeric = false
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

    /// The rows after the header read by two threads: `first` (past the header) up to `split`, a
    /// new tokenizer from `split` to the end. When the first part does not end at `split` on a
    /// record's end, or the second fails, the first reads on to the end alone.
    func readInParallel(_ first: CSVTokenizer, split: Int, size: Int) throws -> [TablePart] {
        let guess = Table.rowGuess(size / 2, names.count)
        // Each thread has a tokenizer of its own and writes only its own result.
        final class Work: @unchecked Sendable {
            let tokenizers: [CSVTokenizer]
            var parts: [Result<TablePart, any Error>?] = [nil, nil]
            init(_ tokenizers: [CSVTokenizer]) { self.tokenizers = tokenizers }
        }
        first.limitSource(to: split)
        let second = CSVTokenizer(source: try CSVByteSource(path: path, start: split, limit: size))
        second.delimiter = dialect.delimiter
        let results = Work([first, second])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            results.parts[index] = Result { try read(results.tokenizers[index], rowGuess: guess) }
        }
        // A record cut at `split` (its line break was inside quotes) fails the first part at its
        // end; any problem in the second part has a line it cannot number. Either way: one thread.
        guard case .success(let head)? = results.parts[0], case .success(let tail)? = results.parts[1]
        else {
            if case .failure(let error)? = results.parts[0], !first.stoppedInQuotes { throw error }
            return [try sequentialRestart(split: split, size: size)]
        }
        return [head, tail]
    }

    /// The rows after the header read again by one thread, to the end of the file.
    private func sequentialRestart(split: Int, size: Int) throws -> TablePart {
        let tokenizer = CSVTokenizer(source: try CSVByteSource(path: path))
        tokenizer.delimiter = dialect.delimiter
        _ = try tokenizer.nextRecord()  // the header
        return try read(tokenizer, rowGuess: Table.rowGuess(size, names.count))
    }
}
