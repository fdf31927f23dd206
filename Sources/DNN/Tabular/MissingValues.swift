/// The cells that mean "no value": empty, and the words pandas reads as missing by default (NA,
/// N/A, NaN, null, None, …) with `?`, as the UCI data sets write it.
enum MissingValues {
    static let words: Set<String> = [
        "NA", "N/A", "n/a", "NaN", "nan", "-nan", "-NaN", "NULL", "null", "None", "<NA>", "#N/A", "?",
    ]

    /// Whether the bytes [start, end) are a missing cell.
    @inline(__always)
    static func isMissing(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        let length = end - start
        if length == 0 { return true }
        guard length <= 5 else { return false }
        let first = start[0]
        // Every word starts with one of these: skip the set for any other cell.
        guard
            first == UInt8(ascii: "N") || first == UInt8(ascii: "n") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "<") || first == UInt8(ascii: "#") || first == UInt8(ascii: "?")
        else { return false }
        return words.contains(String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self))
    }

    /// Whether `text` is a missing cell.
    static func isMissing(_ text: String) -> Bool { text.isEmpty || words.contains(text) }
}
