import CNumberParsing

/// Numbers in CSV cells: the whole cell, spaces around it allowed, an optional leading `+`, and
/// the dialect's decimal mark; correctly rounded (C++'s `std::from_chars`, see CNumberParsing).
enum NumberParsing {
    /// The number the bytes [start, end) hold, or nil when they are not exactly one.
    @inline(__always)
    static func number(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, decimal: UInt8) -> Double? {
        var first = start, last = end
        while first < last && first.pointee == UInt8(ascii: " ") { first += 1 }
        while last > first && (last - 1).pointee == UInt8(ascii: " ") { last -= 1 }
        if first < last && first.pointee == UInt8(ascii: "+") {
            first += 1
            // "+-1" and "+" alone are not numbers.
            guard first < last, first.pointee != UInt8(ascii: "-") else { return nil }
        }
        guard first < last else { return nil }
        if decimal != UInt8(ascii: ".") { return withDecimalMark(first, last, decimal) }
        var value = 0.0
        let stop = first.withMemoryRebound(to: CChar.self, capacity: last - first) { text in
            dnn_parse_double(text, text + (last - first), &value)
        }
        guard let stop, UnsafeRawPointer(stop) == UnsafeRawPointer(last) as UnsafeRawPointer else { return nil }
        return value
    }

    /// A number written with another decimal mark (`3,25`): read from a copy with `.` in its place.
    private static func withDecimalMark(_ first: UnsafePointer<UInt8>, _ last: UnsafePointer<UInt8>, _ mark: UInt8)
        -> Double?
    {
        let length = last - first
        guard length < 256 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { copy in
            for k in 0..<length {
                let byte = first[k]
                // A '.' is not a decimal mark here (nor a thousands separator that is read).
                if byte == UInt8(ascii: ".") { return nil }
                copy[k] = byte == mark ? UInt8(ascii: ".") : byte
            }
            let start = UnsafePointer(copy.baseAddress!)
            return number(start, start + length, decimal: UInt8(ascii: "."))
        }
    }
}
