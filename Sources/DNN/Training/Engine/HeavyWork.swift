/// The heavy work of a first-layer path (the products with X, the sweep, C·G), each job run whole
/// on BLAS's own threads or split between this engine's threads, each part on one BLAS thread.
///
/// The choice is a rule on the job's size, never a timing, so a run's rounding depends only on the
/// plan: `auto` splits every job worth a few million operations (on the machines we timed the
/// split beat OpenBLAS's own threading for these shapes, see the README), `split` always, `blas`
/// never. BLAS's thread count is set once, here: changing it per product costs allocations inside
/// OpenBLAS.
final class HeavyWork {
    /// One job: its floating-point operations, and how to run part `part` of `parts`.
    struct Job {
        let name: String
        let flops: Double
        let run: (_ part: Int, _ parts: Int) -> Void
    }

    /// Below a few million operations, handing work to another thread costs more than it saves.
    static let threadingPays = 4e6

    let jobs: [Job]
    /// Per job: split between our threads?
    private(set) var splits: [Bool]
    let threads: Int
    private var runner: ParallelRunner?
    /// The system would not start the helper threads: BLAS's own threads do the work instead.
    private(set) var refused = false

    init(jobs: [Job], threads: Int, parallelism: ParallelStrategy) {
        self.jobs = jobs
        self.threads = threads
        splits = jobs.map { job in
            guard threads > 1 else { return false }
            switch parallelism {
            case .split: return true
            case .blas: return false
            case .auto: return job.flops > Self.threadingPays
            }
        }
        setBLASThreadCount(parallelism == .blas ? threads : 1)
        guard splits.contains(true) else { return }
        let jobs = self.jobs
        runner = ParallelRunner(parts: threads) { job, part in jobs[job].run(part, threads) }
        if runner == nil {
            refused = true
            splits = Array(repeating: false, count: jobs.count)
            setBLASThreadCount(threads)
        }
    }

    /// Runs job `job` as decided; returns whether it was split (its parts then wrote shares).
    @discardableResult
    func run(_ job: Int) -> Bool {
        guard splits[job] else {
            jobs[job].run(0, 1)
            return false
        }
        runner!.run(job: job)
        return true
    }

    /// One line per job: how it runs.
    var description: [String] {
        zip(jobs, splits).map { "\($0.name): \($1 ? "split over \(threads) threads" : "BLAS threads")" }
    }
}
