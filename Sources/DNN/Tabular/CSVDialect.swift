/// How a delimited text file writes its fields: the delimiter between them and the decimal mark
/// in numbers. Fields may be quoted with `"` (a quote inside written `""`), as RFC 4180 has it.
public struct CSVDialect: Sendable, Equatable {
    /// The byte between fields: `,` (CSV), `;`, a tab (TSV) or `|`.
    public var delimiter: UInt8
    /// The decimal mark in numbers: `.`, or `,` (then the delimiter is not `,`).
    public var decimal: UInt8

    /// A dialect of `delimiter` and `decimal`.
    public init(delimiter: UInt8 = UInt8(ascii: ","), decimal: UInt8 = UInt8(ascii: ".")) {
        self.delimiter = delimiter
        self.decimal = decimal
    }

    /// The delimiters `detect` chooses among, in order of preference on a tie.
    public static let candidates: [UInt8] = [",", ";", "\t", "|"].map { UInt8(ascii: $0) }

    /// The delimiter of the first lines of a file (`sample`, quotes respected): the candidate that
    /// splits every complete line of the sample into the same number of fields, more than one,
    /// the most fields winning; nil when none does (a file of one column, say).
    public static func detectDelimiter(_ sample: UnsafeBufferPointer<UInt8>) -> UInt8? {
        var best: (delimiter: UInt8, fields: Int)?
        for delimiter in candidates {
            guard let fields = consistentFieldCount(sample, delimiter: delimiter), fields > 1 else { continue }
            if best == nil || fields > best!.fields { best = (delimiter, fields) }
        }
        return best?.delimiter
    }

    /// The number of fields every complete line of `sample` has with `delimiter`; nil when lines
    /// disagree or none is complete. At most 50 lines are looked at.
    static func consistentFieldCount(_ sample: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Int? {
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r")
        var count: Int?, fields = 1, quoted = false, lines = 0, lineHasBytes = false
        for byte in sample {
            if quoted {
                if byte == quote { quoted = false }
                continue
            }
            switch byte {
            case quote: quoted = true
            case delimiter: fields += 1
            case newline:
                if lineHasBytes {
                    if let count, count != fields { return nil }
                    count = fields
                    lines += 1
                    if lines == 50 { return count }
                }
                fields = 1
                lineHasBytes = false
                continue
            case carriage: continue
            default: break
            }
            lineHasBytes = true
        }
        return count
    }
}
