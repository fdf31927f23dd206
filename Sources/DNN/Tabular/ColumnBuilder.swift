/// A column filled cell by cell as a file is read: numbers while every cell is one (or missing),
/// else text, each distinct value kept once with a code per row.
struct ColumnBuilder {
    private let numbers: GrowingBuffer<Double>
    private let codes: GrowingBuffer<Int32>
    private var interner = TextInterner()
    /// Whether the column is read as text (decided before reading: a column first read as
    /// numbers that holds text is read again, see `Table.read`).
    let isText: Bool

    init(text: Bool, capacity: Int) {
        isText = text
        numbers = GrowingBuffer(capacity: text ? 0 : capacity)
        codes = GrowingBuffer(capacity: text ? capacity : 0)
    }

    /// Adds `count` numbers read elsewhere, `stride` apart from `source` (NaN: missing).
    mutating func append(from source: UnsafePointer<Double>, stride: Int, count: Int) {
        numbers.append(from: source, stride: stride, count: count)
    }

    /// Adds a cell as a number (NaN when missing); false, adding nothing, when it is neither and
    /// the column must be read as text.
    @inline(__always)
    mutating func appendNumber(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, decimal: UInt8) -> Bool {
        if let value = NumberParsing.number(start, end, decimal: decimal) {
            numbers.append(value)
            return true
        }
        if MissingValues.isMissing(start, end) {
            numbers.append(.nan)
            return true
        }
        return false
    }

    /// Adds a missing number: a column to be read again as text, kept in step with the others.
    mutating func appendMissingNumber() { numbers.append(.nan) }

    /// Adds a cell as text, its bytes [start, end) (code −1 when missing).
    @inline(__always)
    mutating func appendText(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) {
        codes.append(MissingValues.isMissing(start, end) ? -1 : interner.code(start, end))
    }

    /// The column read, moved out of the builder (which is left empty: its memory goes with it).
    mutating func take() -> TableColumn {
        defer { interner = TextInterner() }
        return isText ? .text(codes: codes.take(), values: interner.values) : .numbers(numbers.take())
    }
}
