import Foundation

// The few system interfaces whose Swift names differ between glibc (Linux) and Darwin (macOS),
// each written once for both, so that no other file needs a platform branch. The Darwin
// branches have never been compiled on macOS (this project's machines run Linux): they follow
// Darwin's headers, and the README lists them.

/// The resource number of the address-space limit (`ulimit -v`) as `getrlimit` takes it: glibc
/// imports `RLIMIT_AS` as an enum case, Darwin as an `Int32` macro.
var addressSpaceResource: Int32 {
    #if canImport(Glibc)
        Int32(RLIMIT_AS.rawValue)
    #else
        RLIMIT_AS
    #endif
}

/// Sets the three-argument (`SA_SIGINFO`) handler of `action`: glibc names the union
/// `__sigaction_handler`, Darwin `__sigaction_u`.
func setSignalHandler(
    _ action: UnsafeMutablePointer<sigaction>,
    _ handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void
) {
    action.pointee.sa_flags = SA_SIGINFO
    sigemptyset(&action.pointee.sa_mask)
    #if canImport(Glibc)
        action.pointee.__sigaction_handler.sa_sigaction = handler
    #else
        action.pointee.__sigaction_u.__sa_sigaction = handler
    #endif
}

/// A thread started by `startThread`, to join or let go.
struct StartedThread {
    fileprivate let handle: pthread_t

    /// Waits for the thread to end.
    func join() { pthread_join(handle, nil) }
    /// Lets the thread end on its own, with nothing left to join.
    func detach() { pthread_detach(handle) }
}

/// Starts a thread running `body(context)`; nil when the system refuses it (a limit on processes
/// or on memory for its stack). glibc's `pthread_t` is an integer and its start routine takes an
/// optional pointer; Darwin's `pthread_t` is a pointer, returned through an optional, and its start
/// routine takes a non-optional one.
func startThread(
    context: UnsafeMutableRawPointer?, _ body: @convention(c) (UnsafeMutableRawPointer?) -> Void
) -> StartedThread? {
    // The routine pthread_create calls receives the context and body packed together.
    let packed = UnsafeMutablePointer<(UnsafeMutableRawPointer?, @convention(c) (UnsafeMutableRawPointer?) -> Void)>
        .allocate(capacity: 1)
    packed.initialize(to: (context, body))
    #if canImport(Glibc)
        var handle = pthread_t()
    #else
        var handle: pthread_t?
    #endif
    // The same closure serves both: Darwin passes a non-optional pointer, which `runPacked` takes as optional.
    let status = pthread_create(
        &handle, nil,
        { raw in
            runPacked(raw)
            return nil
        }, packed)
    let started: pthread_t? = status == 0 ? handle : nil
    guard let started else {
        packed.deinitialize(count: 1)
        packed.deallocate()
        return nil
    }
    return StartedThread(handle: started)
}

/// The start routine's work: unpack what `startThread` packed, free it, run the body.
private func runPacked(_ raw: UnsafeMutableRawPointer?) {
    let packed = raw!.assumingMemoryBound(
        to: (UnsafeMutableRawPointer?, @convention(c) (UnsafeMutableRawPointer?) -> Void).self)
    let (context, body) = packed.pointee
    packed.deinitialize(count: 1)
    packed.deallocate()
    body(context)
}
