import Foundation

/// Throws unless `path` names a readable regular file (a symbolic link to one is fine). A FIFO,
/// a socket or a device (`/dev/zero`, a terminal) is refused: reading one may never end, or never
/// begin, and none of them holds data of a size known in advance.
func requireReadableFile(_ path: String) throws {
    var status = stat()
    guard stat(path, &status) == 0 else {
        throw DNNError(errno == EACCES ? "\(path): permission denied" : "\(path): no such file")
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw DNNError("\(path): is a directory, not a file")
    case S_IFIFO: throw DNNError("\(path): is a pipe (FIFO), not a file; save the data to a file first")
    default: throw DNNError("\(path): is a device or socket, not a file")
    }
    guard access(path, R_OK) == 0 else { throw DNNError("\(path): permission denied") }
}

/// The whole of the regular file `path`, once its size (× `peak`, the bytes its reader holds per
/// byte of file at most) is known to fit the memory budget; `what` names the file's kind in
/// the message.
func readWholeFile(_ path: String, what: String, peak: Int = 1) throws -> Data {
    try requireReadableFile(path)
    var status = stat()
    let size = stat(path, &status) == 0 ? Int(status.st_size) : 0
    try ResourceLimits.require(
        ResourceLimits.bytes([size], each: peak),
        for: "\(path): reading \(what) of \(ResourceLimits.describe(bytes: size))")
    guard let data = FileManager.default.contents(atPath: path) else { throw DNNError("\(path): cannot read") }
    return data
}
