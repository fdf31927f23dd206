import Foundation

/// Writes `data` to a temporary file beside `path`, flushes it to disk, then renames it over
/// `path`: a reader sees the old file or the new one, never half of one, even after a crash.
public func writeFileAtomically(_ data: Data, to path: String) throws {
    try requireWritableDirectory(for: path)
    let directory = parentDirectory(of: path)
    let name = (path as NSString).lastPathComponent
    let temporary = directory + "/.\(name).\(ProcessInfo.processInfo.processIdentifier).tmp"
    guard FileManager.default.createFile(atPath: temporary, contents: nil),
        let handle = FileHandle(forWritingAtPath: temporary)
    else {
        throw DNNError("\(path): cannot write in \(directory)")
    }
    do {
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
    } catch {
        try? FileManager.default.removeItem(atPath: temporary)
        throw DNNError("\(path): cannot write: \(error.localizedDescription)")
    }
    guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(atPath: temporary)
        throw DNNError("\(path): cannot replace the file (\(reason))")
    }
}

/// Throws unless the directory that would hold `path` exists and can be written, so that a
/// command fails before its work rather than after.
public func requireWritableDirectory(for path: String) throws {
    let directory = parentDirectory(of: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw DNNError("\(path): cannot write, no such directory \(directory)")
    }
    guard FileManager.default.isWritableFile(atPath: directory) else {
        throw DNNError("\(path): cannot write in \(directory) (permission denied)")
    }
}

/// The directory that holds `path`, written as the user wrote it ("." for a bare file name).
private func parentDirectory(of path: String) -> String {
    let parent = (path as NSString).deletingLastPathComponent
    return parent.isEmpty ? "." : parent
}
