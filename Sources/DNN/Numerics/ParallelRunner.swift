import Atomics
import Foundation

/// Runs a job split into `parts` parts at once: part 0 on the calling thread, the others on helper
/// threads started once and kept for the runner's life. A run allocates nothing (a pthread mutex
/// and condition variables made once; dispatch semaphores allocated on every wait), so a
/// training loop can use it every iteration.
///
/// A hand-off is quick when jobs come close together, as a training loop's do: a waiting thread
/// first watches an atomic counter (for up to tens of microseconds) and only then sleeps on its
/// condition variable. Waking a sleeping thread costs 5–10 µs of the kernel's time on each side,
/// which on small batches was a fifth of the run (digits, [64, 32, 10]). On a machine busy with
/// other work the thread waited for may not be running at all, and watching only takes its core:
/// each waiting thread's `SpinBudget` shrinks when its watches end in sleep and grows back when
/// they succeed. Timing decides only how threads wait, never what they compute.
///
/// `work(job, part)` is fixed at creation; `run(job:)` returns when every part is done.
final class ParallelRunner {
    /// What the helper threads share with the runner; they hold this, not the runner, so the
    /// runner's deinit can stop them.
    private final class Shared: @unchecked Sendable {
        let work: (_ job: Int, _ part: Int) -> Void
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let started = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        /// Counts the runs begun; a helper watches it for the next one. Changed under `mutex`.
        let generation = ManagedAtomic<Int>(0)
        /// The helpers' parts of the current run not yet done.
        let pending = ManagedAtomic<Int>(0)
        // Guarded by `mutex`.
        var job = 0
        var stopping = false
        var running = 0

        init(work: @escaping (Int, Int) -> Void) {
            self.work = work
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(started, nil)
            pthread_cond_init(finished, nil)
        }

        deinit {
            pthread_cond_destroy(started)
            pthread_cond_destroy(finished)
            pthread_mutex_destroy(mutex)
            started.deallocate()
            finished.deallocate()
            mutex.deallocate()
        }

        /// A helper's life: wait for a new generation (watching it, then asleep), do its part,
        /// report, until stopped.
        func serve(part: Int) {
            // Generation 0 is the state at creation: a helper that starts late must still see
            // the runs begun before it got here.
            var seen = 0
            var budget = SpinBudget()
            pthread_mutex_lock(mutex)
            while true {
                pthread_mutex_unlock(mutex)
                budget.watch { generation.load(ordering: .acquiring) != seen }
                pthread_mutex_lock(mutex)
                while generation.load(ordering: .relaxed) == seen && !stopping { pthread_cond_wait(started, mutex) }
                if stopping { break }
                seen = generation.load(ordering: .relaxed)
                let current = job
                pthread_mutex_unlock(mutex)
                work(current, part)
                pthread_mutex_lock(mutex)
                // Under the mutex, so that a runner about to sleep on `finished` cannot miss it.
                if pending.wrappingDecrementThenLoad(ordering: .acquiringAndReleasing) == 0 {
                    pthread_cond_signal(finished)
                }
            }
            running -= 1
            pthread_cond_signal(finished)
            pthread_mutex_unlock(mutex)
        }
    }

    let parts: Int
    private let shared: Shared

    /// Starts `parts − 1` helper threads; nil when the system refuses one (a process or memory
    /// limit), after stopping those already started, so that the caller can do without them
    /// instead of waiting for a thread that never runs.
    init?(parts: Int, work: @escaping (_ job: Int, _ part: Int) -> Void) {
        precondition(parts >= 1)
        self.parts = parts
        shared = Shared(work: work)
        for part in 1..<parts {
            let context = Unmanaged.passRetained(Helper(shared: shared, part: part)).toOpaque()
            pthread_mutex_lock(shared.mutex)
            shared.running += 1
            pthread_mutex_unlock(shared.mutex)
            let thread = startThread(context: context) { context in
                let helper = Unmanaged<Helper>.fromOpaque(context!).takeRetainedValue()
                helper.shared.serve(part: helper.part)
            }
            guard let thread else {
                Unmanaged<Helper>.fromOpaque(context).release()
                pthread_mutex_lock(shared.mutex)
                shared.running -= 1
                pthread_mutex_unlock(shared.mutex)
                stop()
                return nil
            }
            thread.detach()
        }
    }

    /// What a helper thread starts with.
    private final class Helper {
        let shared: Shared
        let part: Int
        init(shared: Shared, part: Int) {
            self.shared = shared
            self.part = part
        }
    }

    /// How the calling thread waits for the helpers.
    private var budget = SpinBudget()

    /// Runs every part of `job` and waits for all of them (watching the count, then asleep).
    func run(job: Int) {
        pthread_mutex_lock(shared.mutex)
        shared.job = job
        shared.pending.store(parts - 1, ordering: .relaxed)
        shared.generation.wrappingIncrement(ordering: .releasing)
        pthread_cond_broadcast(shared.started)
        pthread_mutex_unlock(shared.mutex)
        shared.work(job, 0)
        budget.watch { shared.pending.load(ordering: .acquiring) == 0 }
        pthread_mutex_lock(shared.mutex)
        while shared.pending.load(ordering: .acquiring) > 0 { pthread_cond_wait(shared.finished, shared.mutex) }
        pthread_mutex_unlock(shared.mutex)
    }

    deinit { stop() }

    /// Stops the helpers and waits for them, so none touches the work's buffers afterwards.
    private func stop() {
        pthread_mutex_lock(shared.mutex)
        shared.stopping = true
        pthread_cond_broadcast(shared.started)
        while shared.running > 0 { pthread_cond_wait(shared.finished, shared.mutex) }
        pthread_mutex_unlock(shared.mutex)
    }
}

extension ParallelRunner {
    /// How many of `wanted` threads the system lets this process start at once (each is let go at once).
    static func startableThreads(upTo wanted: Int) -> Int {
        guard wanted > 0 else { return 0 }
        // Each thread waits to read a pipe; closing its write end lets every one of them finish.
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return 0 }
        var threads = [StartedThread]()
        for _ in 0..<wanted {
            let context = UnsafeMutableRawPointer(bitPattern: Int(ends[0]) + 1)
            let thread = startThread(context: context) { context in
                var byte: UInt8 = 0
                _ = read(Int32(Int(bitPattern: context) - 1), &byte, 1)
            }
            guard let thread else { break }
            threads.append(thread)
        }
        close(ends[1])
        for thread in threads { thread.join() }
        close(ends[0])
        return threads.count
    }
}

/// How long one waiting thread watches for what it waits on before it sleeps, in reads: up to
/// `most` (about 20–50 µs: longer than a wake-up costs, shorter than a time slice), halved each
/// time a watch ends without it (the other thread was slow, or not running: a busy machine),
/// doubled each time a watch sees it.
struct SpinBudget {
    static let most = 20_000, least = 16
    private var limit = most

    /// Reads `done` until it is true or the budget is spent; adjusts the budget by the outcome.
    @inline(__always)
    mutating func watch(until done: () -> Bool) {
        var spins = 0
        while !done() {
            spins += 1
            if spins >= limit {
                limit = max(Self.least, limit / 2)
                return
            }
        }
        limit = min(Self.most, limit * 2)
    }
}
