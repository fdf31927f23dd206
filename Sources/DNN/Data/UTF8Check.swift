import Foundation

/// Throws unless the file at `path` is valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF, no sequence cut short), naming the line and column (in bytes) of the
/// first invalid byte and its value. Read in blocks of 1 MB, never whole.
///
/// A text reader that meets an invalid byte may replace it, stop the row there or resynchronise
/// mid-row, and so split one example into two or join two: refusing the file is the one answer
/// that cannot be wrong.
func requireUTF8(_ path: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw DNNError("\(path): cannot read") }
    defer { try? handle.close() }
    var validator = UTF8Validator()
    while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
        if let bad = block.withUnsafeBytes({ validator.feed($0.bindMemory(to: UInt8.self)) }) {
            throw DNNError(
                "\(path):\(bad.line): column \(bad.column): byte 0x\(String(bad.byte, radix: 16, uppercase: true)) is not UTF-8 text"
            )
        }
    }
    if let bad = validator.finish() {
        throw DNNError("\(path):\(bad.line): column \(bad.column): the file ends inside a UTF-8 character")
    }
}

/// A UTF-8 decoder's state over bytes fed block by block, counting lines and columns.
struct UTF8Validator {
    /// Continuation bytes still expected, and the bounds of the next one (they narrow after
    /// E0, ED, F0 and F4, which is how overlong forms, surrogates and values above U+10FFFF fail).
    private var pending = 0
    private var next: ClosedRange<UInt8> = 0x80...0xBF
    private(set) var line = 1
    private(set) var column = 0

    /// Feeds `bytes`; returns the first invalid byte with its line and column, if any.
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int, byte: UInt8)? {
        for byte in bytes {
            column += 1
            if pending > 0 {
                guard next.contains(byte) else { return (line, column, byte) }
                pending -= 1
                next = 0x80...0xBF
                continue
            }
            switch byte {
            case 0x0A:
                line += 1
                column = 0
            case 0x00...0x7F: break
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

    /// At the end of the input: where a character was cut short, if one was.
    func finish() -> (line: Int, column: Int)? { pending > 0 ? (line, column) : nil }
}
