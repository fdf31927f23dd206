import Foundation

/// Writes `data` to a temporary file beside `path`, flushes it to disk, then renames it over
/// `path`: a reader sees the old file or the new one, never half of one, even after a crash. The
/// target must be a file this command may replace (`requireWritableOutput`).
public func writeFileAtomically(_ data: Data, to path: String) throws {
    try OutputFiles(outputs: [(path, data)]).commit()
}

/// The outputs of one command, written together at its end: every file goes to a temporary file
/// beside its target first, and only when all of them are complete are they renamed over their
/// targets. A failure before that removes the temporary files and leaves every target as it was;
/// SIGINT and SIGTERM do the same (`TemporaryFiles`).
public struct OutputFiles {
    /// The files to write, each a target path and its contents, in the order they are written.
    public var outputs: [(path: String, data: Data)]

    /// The outputs `outputs` (none by default); nothing is written before `commit()`.
    public init(outputs: [(path: String, data: Data)] = []) { self.outputs = outputs }

    /// Adds `data` to be written to `path` by `commit()`.
    public mutating func add(_ data: Data, to path: String) { outputs.append((path, data)) }

    /// Checks every target (`requireWritableOutput`), writes each file to a temporary file beside it and flushes it,
    /// then renames them all over their targets. Throws, naming the path, when a check, a write or a rename fails.
    public func commit() throws {
        for (path, _) in outputs { try requireWritableOutput(path) }
        // Each stays open, and so locked, until every rename is done (see the cleanup below).
        var written = [(file: TemporaryOutputFile, path: String)]()
        defer {
            for (file, _) in written {
                TemporaryFiles.shared.remove(file.path)
                file.close()
            }
        }
        for (path, data) in outputs {
            let (directory, name) = try splitOutputPath(path)
            removeAbandonedTemporaryFiles(in: directory, name: name)
            let file = try TemporaryOutputFile(beside: path, directory: directory, name: name)
            written.append((file, path))
            try file.write(data, for: path)
        }
        for (index, (file, path)) in written.enumerated() {
            guard rename(file.path, path) == 0 else {
                let reason = String(cString: strerror(errno))
                throw DNNError(
                    "\(path): cannot replace the file (\(reason))"
                        + (index > 0 ? "; \(index) other file(s) of this command were written" : ""))
            }
        }
    }

    /// Deletes the temporary files of `name` that a killed run left (SIGKILL cannot be caught):
    /// `.NAME.PID.SUFFIX.tmp` beside it that no process holds locked (a writer locks its file
    /// until the rename, and the kernel drops the lock of a process that dies, in any container
    /// sharing the directory), and the older `.NAME.PID.tmp` where no process PID runs. Nothing
    /// else is read or removed: the names are hidden and end in `.tmp`.
    private func removeAbandonedTemporaryFiles(in directory: String, name: String) {
        let prefix = ".\(name)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for candidate in names where candidate.hasPrefix(prefix) && candidate.hasSuffix(".tmp") {
            let middle = candidate.dropFirst(prefix.count).dropLast(".tmp".count).split(
                separator: ".", omittingEmptySubsequences: false)
            let full = directory + "/" + candidate
            switch middle.count {
            case 2 where pid_t(middle[0]) != nil && !middle[1].isEmpty && middle[1].allSatisfy(\.isHexDigit):
                let descriptor = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                guard descriptor >= 0 else { continue }
                defer { Foundation.close(descriptor) }
                if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { unlink(full) }
            case 1:
                guard let pid = pid_t(middle[0]), pid > 0, pid != getpid(), kill(pid, 0) == -1, errno == ESRCH else {
                    continue
                }
                unlink(full)
            default: continue
            }
        }
    }
}

/// A command's output while it is written: `.NAME.PID.SUFFIX.tmp` beside the target, SUFFIX 64
/// random bits, created with O_EXCL (two writers never share one, even with the same PID in two
/// containers over one directory) and locked until it is closed. It takes the permissions of the
/// file it will replace (and its owner and group where this process may set them), so that a
/// replaced 0600 file stays 0600.
struct TemporaryOutputFile {
    let path: String
    private let descriptor: Int32

    init(beside target: String, directory: String, name: String) throws {
        var existing = stat()
        let replaces = stat(target, &existing) == 0
        let mode = replaces ? mode_t(existing.st_mode & 0o7777) : 0o666
        var attempt = 0
        while true {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let candidate = "\(directory)/.\(name).\(getpid()).\(suffix).tmp"
            TemporaryFiles.shared.register(candidate)
            let opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if opened >= 0 {
                (path, descriptor) = (candidate, opened)
                break
            }
            let failure = errno
            TemporaryFiles.shared.forget(candidate)
            attempt += 1
            guard failure == EEXIST, attempt < 8 else {
                throw DNNError("\(target): cannot write in \(directory) (\(String(cString: strerror(failure))))")
            }
        }
        _ = flock(descriptor, LOCK_EX | LOCK_NB)
        if replaces {
            // open() applied the umask; the replaced file's bits are what the user chose.
            _ = fchmod(descriptor, mode)
            _ = fchown(descriptor, existing.st_uid, existing.st_gid)
        }
    }

    /// Writes all of `data` and flushes it to the disk.
    func write(_ data: Data, for target: String) throws {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let count = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    throw DNNError("\(target): cannot write: \(String(cString: strerror(errno)))")
                }
                offset += count
            }
        }
        guard fsync(descriptor) == 0 else {
            throw DNNError("\(target): cannot write: \(String(cString: strerror(errno)))")
        }
    }

    func close() { _ = Foundation.close(descriptor) }
}

/// The temporary files being written, removed if the process is interrupted (SIGINT exits 130,
/// SIGTERM 143) so that a killed write leaves nothing behind.
///
/// The paths live in a fixed table of C strings that the signal handler reads: a handler may only
/// call async-signal-safe functions (`unlink`, `_exit`), not take a lock or allocate.
public final class TemporaryFiles: @unchecked Sendable {
    /// The one table of the process, which the signal handlers read.
    public static let shared = TemporaryFiles()
    private static let capacity = 64
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        return slots
    }()
    private let lock = NSLock()

    func register(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        if let free = (0..<Self.capacity).first(where: { Self.slots[$0] == nil }) { Self.slots[free] = strdup(path) }
    }

    /// Deletes the file (if it is still there) and forgets it.
    func remove(_ path: String) {
        unlink(path)
        forget(path)
    }

    /// Forgets the file without touching it (one this process did not create after all).
    func forget(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        for k in 0..<Self.capacity {
            if let slot = Self.slots[k], String(cString: slot) == path {
                Self.slots[k] = nil
                free(slot)
            }
        }
    }

    /// Unlinks every registered file: only what a signal handler may do (no lock, no allocation).
    static func removeAllFromSignalHandler() {
        for k in 0..<capacity {
            if let path = slots[k] { unlink(path) }
        }
    }

    /// Installs the handlers of SIGINT and SIGTERM: remove the registered files, exit 128 + signal.
    public func removeOnInterrupt() {
        _ = Self.slots
        // A process starts with the signal mask of its parent: a runner that blocked SIGINT and
        // SIGTERM (a test harness, a job scheduler) would leave them pending forever here.
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGINT, SIGTERM] { sigaddset(&signals, number) }
        sigprocmask(SIG_UNBLOCK, &signals, nil)
        for number in [SIGINT, SIGTERM] {
            signal(number) { number in
                TemporaryFiles.removeAllFromSignalHandler()
                if let line = TemporaryFiles.interruptLine.pointee { _ = write(2, line, strlen(line)) }
                _exit(128 + number)
            }
        }
    }

    /// A line the handlers above print before exiting, when one is set (a process of an MPI job
    /// says why it stopped: mpirun ends every process when one fails). A fixed slot, read
    /// without allocating or locking, as a signal handler must.
    nonisolated(unsafe) static let interruptLine: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slot = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: 1)
        slot.initialize(to: nil)
        return slot
    }()

    /// Sets the line printed on SIGINT or SIGTERM (kept for the life of the process).
    public static func sayOnInterrupt(_ text: String) {
        interruptLine.pointee = strdup(text + "\n")
    }
}

/// Throws unless the directory that would hold `path` exists and can be written, so that a
/// command fails before its work rather than after.
public func requireWritableDirectory(for path: String) throws {
    let (directory, _) = try splitOutputPath(path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw DNNError("\(path): cannot write, no such directory \(directory)")
    }
    guard FileManager.default.isWritableFile(atPath: directory) else {
        throw DNNError("\(path): cannot write in \(directory) (permission denied)")
    }
}

/// Throws unless `path` may receive a command's output: its directory can be written, and the path
/// is new or a regular file that is writable, not a symbolic link, and not the same file as any of
/// `inputs` (the command's own data or model). Checked before any work.
public func requireWritableOutput(_ path: String, inputs: [String] = []) throws {
    try requireWritableDirectory(for: path)
    var status = stat()
    guard lstat(path, &status) == 0 else { return }  // a new file
    let type = status.st_mode & S_IFMT
    guard type != S_IFLNK else {
        throw DNNError("\(path): is a symbolic link; write to the file it names instead")
    }
    guard type == S_IFREG else {
        throw DNNError(
            "\(path): is \(type == S_IFDIR ? "a directory" : "not a regular file (a device?)"); outputs go to files")
    }
    guard status.st_mode & 0o222 != 0 else { throw DNNError("\(path): is read-only; it is not replaced") }
    for input in inputs {
        var other = stat()
        if stat(input, &other) == 0, other.st_dev == status.st_dev, other.st_ino == status.st_ino {
            throw DNNError("\(path): is also an input of this command (\(input)); it is not replaced")
        }
    }
}

/// The directory that holds an output `path`, as the user wrote it ("." for a bare file name,
/// "/" for a file at the root), and the file's name. A path that can only name a directory (empty,
/// ending in "/", or whose last part is "." or "..") is refused in one line.
func splitOutputPath(_ path: String) throws -> (directory: String, name: String) {
    guard !path.isEmpty else { throw DNNError("an output file name is empty") }
    let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    guard !name.isEmpty, name != ".", name != ".." else {
        throw DNNError("\(path): names a directory; outputs go to files")
    }
    let parent = path.dropLast(name.count)
    let directory = parent.isEmpty ? "." : parent == "/" ? "/" : String(parent.dropLast())
    return (directory, name)
}
