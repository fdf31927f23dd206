import CGzip
import Foundation

/// The bytes of a data file, read block by block and never whole: as they are, or inflated from
/// gzip (`.gz`, through zlib). Every byte read is checked as UTF-8 on the way, so that a row is
/// never split or joined by a byte a reader would have to guess about.
final class CSVByteSource {
    private enum Handle {
        case plain(Int32)
        case gzip(gzFile)
    }

    private let handle: Handle
    private var validator = UTF8Validator()
    let path: String
    /// Whether the next read is the file's first (where a UTF-8 byte order mark is dropped).
    private var atStart: Bool
    /// A plain file's next offset, and the offset at which reading stops (its size, or where a
    /// part of it ends).
    private var offset: Int
    var limit: Int
    private let validates: Bool

    /// Whether `path` names a gzip file (read through zlib, from its start only).
    static func isCompressed(_ path: String) -> Bool { path.lowercased().hasSuffix(".gz") }

    /// Opens `path`; a name ending in `.gz` is inflated. A plain file may be read from `start`,
    /// up to `limit` (a part of it, for one of several threads).
    /// `validates` false skips the UTF-8 check (a window that may start inside a character).
    init(path: String, start: Int = 0, limit: Int = .max, validates: Bool = true) throws {
        self.path = path
        (offset, self.limit, atStart, self.validates) = (start, limit, start == 0, validates)
        if Self.isCompressed(path) {
            precondition(start == 0, "a gzip file is read from its start")
            guard let file = gzopen(path, "rb") else { throw DNNError("\(path): cannot read") }
            // zlib reads the file in blocks of this size: one system call per 1 MB.
            gzbuffer(file, 1 << 20)
            handle = .gzip(file)
        } else {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw DNNError("\(path): cannot read") }
            handle = .plain(descriptor)
        }
    }

    deinit {
        switch handle {
        case .plain(let descriptor): close(descriptor)
        case .gzip(let file): gzclose(file)
        }
    }

    /// Reads up to `count` bytes into `buffer`; returns how many (0 at the end of the file).
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        var total = 0
        while total < count {
            let got: Int
            switch handle {
            case .plain(let descriptor):
                let wanted = min(count - total, limit - offset)
                got = wanted <= 0 ? 0 : pread(descriptor, buffer + total, wanted, off_t(offset))
                if got < 0 && errno == EINTR { continue }
                if got < 0 { throw DNNError("\(path): cannot read (\(String(cString: strerror(errno))))") }
                offset += max(got, 0)
            case .gzip(let file):
                let wanted = min(count - total, limit - offset, Int(Int32.max))
                got = wanted <= 0 ? 0 : Int(gzread(file, buffer + total, UInt32(wanted)))
                if got < 0 {
                    var code: Int32 = 0
                    let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
                    throw DNNError("\(path): not a readable gzip file (\(message))")
                }
                offset += got
            }
            if got == 0 { break }
            total += got
        }
        if atStart && total > 0 {
            atStart = false
            // A UTF-8 byte order mark (as Excel writes) is not part of the first column's name.
            if total >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
                buffer.update(from: buffer + 3, count: total - 3)
                total -= 3
            }
        }
        if validates, let bad = validator.feed(UnsafeBufferPointer(start: buffer, count: total)) {
            if bad.byte == 0 {
                throw DNNError("\(path):\(bad.line): column \(bad.column): a NUL byte; binary data is not CSV text")
            }
            throw DNNError(
                "\(path):\(bad.line): column \(bad.column): byte 0x\(String(bad.byte, radix: 16, uppercase: true)) "
                    + "is not UTF-8 text")
        }
        if validates, total == 0, let cut = validator.finish() {
            throw DNNError("\(path):\(cut.line): column \(cut.column): the file ends inside a UTF-8 character")
        }
        return total
    }
}
