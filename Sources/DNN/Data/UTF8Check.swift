import Foundation

// CSV files are checked as they are read (`CSVByteSource`): a reader that met an invalid byte
// would replace it, stop the row there or resynchronise mid-row, and so split one example into
// two or join two; refusing the file, naming the line, column and byte, cannot be wrong.

/// A UTF-8 decoder's state over bytes fed block by block, counting lines and columns.
struct UTF8Validator {
    /// Continuation bytes still expected, and the bounds of the next one (they narrow after
    /// E0, ED, F0 and F4, which is how overlong forms, surrogates and values above U+10FFFF fail).
    private var pending = 0
    private var next: ClosedRange<UInt8> = 0x80...0xBF
    private(set) var line = 1
    /// Bytes fed so far, and the offset at which the current line starts.
    private var offset = 0, lineStart = 0
    /// The column (in bytes, from 1) of the last byte fed.
    var column: Int { offset - lineStart }

    /// Feeds `bytes`; returns the first invalid byte with its line and column, if any.
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int, byte: UInt8)? {
        guard let base = bytes.baseAddress else { return nil }
        var k = 0
        let count = bytes.count
        while k < count {
            // Eight ASCII bytes at a time (most of a CSV file): only the line breaks need counting.
            if pending == 0 && k + 8 <= count {
                let word = UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self)
                // Neither a byte above 0x7F nor a NUL among them.
                if word & 0x8080_8080_8080_8080 == 0 && Self.zeroBytes(word) == 0 {
                    let newlines = Self.zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A)
                    if newlines != 0 {
                        line += newlines.nonzeroBitCount
                        // Little-endian: the highest marker is the last line break of the eight.
                        lineStart = offset + (63 - newlines.leadingZeroBitCount) / 8 + 1
                    }
                    offset += 8
                    k += 8
                    continue
                }
            }
            let byte = base[k]
            offset += 1
            k += 1
            if pending > 0 {
                guard next.contains(byte) else { return (line, column, byte) }
                pending -= 1
                next = 0x80...0xBF
                continue
            }
            switch byte {
            case 0x0A:
                line += 1
                lineStart = offset
            case 0x00: return (line, column, byte)  // text has no NUL: binary data
            case 0x01...0x7F: break
            case 0xC2...0xDF: pending = 1
            case 0xE0: (pending, next) = (2, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: pending = 2
            case 0xED: (pending, next) = (2, 0x80...0x9F)
            case 0xF0: (pending, next) = (3, 0x90...0xBF)
            case 0xF1...0xF3: pending = 3
            case 0xF4: (pending, next) = (3, 0x80...0x8F)
            default: return (line, column, byte)
            }
        }
        return nil
    }

    /// 0x80 in each byte of `word` that is zero, 0 in the others (exact, unlike the borrow trick).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & low) &+ low) | word | low)
    }

    /// At the end of the input: where a character was cut short, if one was.
    func finish() -> (line: Int, column: Int)? { pending > 0 ? (line, column) : nil }
}
