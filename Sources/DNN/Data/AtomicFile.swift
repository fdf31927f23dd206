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
        var written = [(temporary: String, path: String)]()
        defer {
            for (temporary, _) in written { TemporaryFiles.shared.remove(temporary) }
        }
        for (path, data) in outputs {
            removeAbandonedTemporaryFiles(for: path)
            let temporary = temporaryPath(for: path)
            TemporaryFiles.shared.register(temporary)
            written.append((temporary, path))
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                let handle = FileHandle(forWritingAtPath: temporary)
            else {
                throw DNNError("\(path): cannot write in \(parentDirectory(of: path))")
            }
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            } catch {
                throw DNNError("\(path): cannot write: \(error.localizedDescription)")
            }
        }
        for (index, (temporary, path)) in written.enumerated() {
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                throw DNNError(
                    "\(path): cannot replace the file (\(reason))"
                        + (index > 0 ? "; \(index) other file(s) of this command were written" : ""))
            }
        }
    }

    private func temporaryPath(for path: String) -> String {
        parentDirectory(of: path) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
    }

    /// Deletes the temporary files of `path` that a killed run left (SIGKILL cannot be caught):
    /// `.NAME.PID.tmp` beside it, where no process PID runs any more. A run still writing keeps its
    /// file, and nothing else is ever read or removed: the name is hidden and ends in `.tmp`.
    private func removeAbandonedTemporaryFiles(for path: String) {
        let directory = parentDirectory(of: path)
        let prefix = ".\((path as NSString).lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let middle = name.dropFirst(prefix.count).dropLast(".tmp".count)
            guard let pid = pid_t(middle), pid > 0, pid != getpid(), kill(pid, 0) == -1, errno == ESRCH else {
                continue
            }
            unlink(directory + "/" + name)
        }
    }
}

/// The temporary files being written, removed if the process is interrupted (SIGINT exits 130,
/// SIGTERM 143) so that a killed write leaves nothing behind.
///
/// The paths live in a fixed table of C strings that the signal handler reads: a handler may only
/// call async-signal-safe functions (`unlink`, `_exit`), not take a lock or allocate.
public final class TemporaryFiles: @unchecked Sendable {
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
        lock.lock()
        defer { lock.unlock() }
        unlink(path)
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
    /// The one table of the process, which the signal handlers read.
    }()

    /// Sets the line printed on SIGINT or SIGTERM (kept for the life of the process).
    public static func sayOnInterrupt(_ text: String) {
        interruptLine.pointee = strdup(text + "\n")
    }
}

/// Throws unless the directory that would hold `path` exists and can be written, so that a
/// command fails before its work rather than after.
public func requireWritableDirectory(for path: String) throws {
    guard !path.isEmpty else { throw DNNError("an output file name is empty") }
    let directory = parentDirectory(of: path)
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

/// The directory that holds `path`, written as the user wrote it ("." for a bare file name).
func parentDirectory(of path: String) -> String {
    let parent = (path as NSString).deletingLastPathComponent
    return parent.isEmpty ? "." : parent
}
