import Foundation

/// Turns a crash inside the HDF5 C library into one line.
///
/// Debian's HDF5 (1.10) has bugs on damaged files: `scripts/fuzz hdf5` found a file of 3 KB on
/// which `H5Gget_info` dereferences a null pointer. Such a fault cannot be recovered from (the
/// library's state is lost), and cannot be fixed here. While a file is being read, SIGSEGV and
/// SIGBUS print `PROGRAM: PATH: damaged HDF5 file (the HDF5 library crashed reading it)`, remove
/// the temporary files of outputs being written, and end the process with status 1. Outside HDF5
/// calls the signals go to the handlers installed before (the Swift runtime's backtrace).
enum HDF5CrashGuard {
    /// Runs `body` with the guard naming `path`. Callers hold the HDF5 lock, so one file at a time.
    static func reading<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
        installOnce
        let name = (CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "dnn")
        let line = strdup("\(name): \(path): damaged HDF5 file (the HDF5 library crashed reading it)\n")
        message.pointee = line
        defer {
            message.pointee = nil
            free(line)
        }
        return try body()
    }

    /// The line to print, while a file is being read: a fixed slot the handler reads without
    /// allocating or taking a lock, as a signal handler must.
    nonisolated(unsafe) private static let message: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slot = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: 1)
        slot.initialize(to: nil)
        return slot
    }()

    /// The handlers that were there before, for faults outside HDF5 calls, each in room of its
    /// own for the C library's `struct sigaction`. Not a Swift `sigaction` value: in this module
    /// the importer lays the struct out in 148 bytes where the C library writes 152, and a stored
    /// pair of them overwrote the next global (the once-token of `message`, which then read nil).
    nonisolated(unsafe) private static let previous = (segv: actionRoom(), bus: actionRoom())

    /// Zeroed room for one `struct sigaction`, larger than any C library's.
    private static func actionRoom() -> UnsafeMutablePointer<sigaction> {
        let room = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
        room.initializeMemory(as: UInt8.self, repeating: 0, count: 1024)
        return room.assumingMemoryBound(to: sigaction.self)
    }

    private static let installOnce: Void = {
        let action = actionRoom()
        setSignalHandler(action) { number, _, _ in
            guard let line = HDF5CrashGuard.message.pointee else {
                // Not ours: put the previous handler back; the faulting instruction runs again.
                if number == SIGSEGV { sigaction(SIGSEGV, HDF5CrashGuard.previous.segv, nil) }
                if number == SIGBUS { sigaction(SIGBUS, HDF5CrashGuard.previous.bus, nil) }
                return
            }
            _ = write(2, line, strlen(line))
            TemporaryFiles.removeAllFromSignalHandler()
            _exit(1)
        }
        sigaction(SIGSEGV, action, previous.segv)
        sigaction(SIGBUS, action, previous.bus)
    }()
}
