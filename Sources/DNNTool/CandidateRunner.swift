import DNN
import Foundation

/// What one candidate's cross-validation gave: each score's mean and standard deviation over the
/// folds (nil: undefined), the seconds it took, or why it failed.
struct CandidateOutcome {
    var means = [Double?](repeating: nil, count: Self.scoreCount)
    var deviations = [Double?](repeating: nil, count: Self.scoreCount)
    var seconds = 0.0
    var failure: String?

    /// Every task reports three scores (`ModelEvaluation.scores`).
    static let scoreCount = 3
    /// How an outcome travels between the processes of a distributed search: means, deviations,
    /// seconds and a failed flag, with NaN for an undefined score.
    static let packedCount = 2 * scoreCount + 2

    func packed() -> [Double] {
        means.map { $0 ?? .nan } + deviations.map { $0 ?? .nan } + [seconds, failure == nil ? 0 : 1]
    }

    init() {}

    init(packed values: ArraySlice<Double>) {
        let v = Array(values)
        means = v[0..<Self.scoreCount].map { $0.isNaN ? nil : $0 }
        deviations = v[Self.scoreCount..<2 * Self.scoreCount].map { $0.isNaN ? nil : $0 }
        seconds = v[2 * Self.scoreCount]
        failure = v[2 * Self.scoreCount + 1] != 0 ? "failed (on another process)" : nil
    }
}

/// Runs candidates' cross-validations as `dnn cv … --json` processes of this same program, at
/// most `jobs` at once, each on one thread: separate processes keep candidates from sharing any
/// state, and use the cores without threads competing inside one product.
struct CandidateRunner {
    /// The arguments every candidate gets (the data, the folds, the fixed settings).
    let common: [String]
    let jobs: Int

    /// The path of this program, to start it again.
    static var executable: String {
        Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// Runs `dnn cv` with `common` + each of `candidates`, calling `finished` (on one thread at a
    /// time) as each ends; returns the outcomes in the candidates' order.
    func run(_ candidates: [[String]], finished: @escaping (Int, CandidateOutcome) -> Void) -> [CandidateOutcome] {
        let results = Results(count: candidates.count, finished: finished)
        let slots = DispatchSemaphore(value: max(1, jobs))
        let group = DispatchGroup()
        let common = self.common
        for (index, arguments) in candidates.enumerated() {
            slots.wait()
            group.enter()
            // Threads of their own, not the dispatch pool's: each waits on a process for minutes.
            Thread {
                results.set(index, Self.crossValidate(common + arguments))
                slots.signal()
                group.leave()
            }.start()
        }
        group.wait()
        return results.outcomes
    }

    /// The outcomes as the candidates' threads hand them in, one at a time.
    private final class Results: @unchecked Sendable {
        private(set) var outcomes: [CandidateOutcome]
        private let finished: (Int, CandidateOutcome) -> Void
        private let lock = NSLock()

        init(count: Int, finished: @escaping (Int, CandidateOutcome) -> Void) {
            outcomes = Array(repeating: CandidateOutcome(), count: count)
            self.finished = finished
        }

        func set(_ index: Int, _ outcome: CandidateOutcome) {
            lock.withLock {
                outcomes[index] = outcome
                finished(index, outcome)
            }
        }
    }

    /// One `dnn cv` process: its JSON read into an outcome, or its error line as the failure.
    static func crossValidate(_ arguments: [String]) -> CandidateOutcome {
        var outcome = CandidateOutcome()
        let start = Date()
        let (status, output, errors) = runChild(["cv"] + arguments + ["--json", "--threads", "1"])
        outcome.seconds = Date().timeIntervalSince(start)
        guard status == 0 else {
            let line = String(decoding: errors, as: UTF8.self).split(separator: "\n").last.map(String.init)
            outcome.failure = (line ?? "exit status \(status)").replacingOccurrences(of: "dnn: ", with: "")
            return outcome
        }
        guard let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any],
            let scores = object["scores"] as? [String: [String: Any]], scores.count == CandidateOutcome.scoreCount
        else {
            outcome.failure = "dnn cv printed no scores"
            return outcome
        }
        // The scores in ModelEvaluation.scores' order: the names of the task that reports these.
        guard
            let names = TaskKind.allCases.map({ ModelEvaluation.scoreNames(for: $0) })
                .first(where: { Set($0) == Set(scores.keys) })
        else {
            outcome.failure = "dnn cv printed unknown scores"
            return outcome
        }
        for (i, name) in names.enumerated() {
            outcome.means[i] = scores[name]?["mean"] as? Double
            outcome.deviations[i] = scores[name]?["std"] as? Double
        }
        return outcome
    }

    /// Runs this program with `arguments`, standard output and error captured; the environment
    /// of an MPI job is left out, so that the child is a process of its own and not a rank.
    static func runChild(_ arguments: [String], captureOutput: Bool = true) -> (Int32, Data, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !["OMPI_", "PMIX_", "PMI_", "OPAL_"].contains { key.hasPrefix($0) }
        }
        let output = Pipe(), errors = Pipe()
        if captureOutput { process.standardOutput = output }
        process.standardError = errors
        do { try process.run() } catch { return (127, Data(), Data("cannot start \(executable): \(error)".utf8)) }
        // Standard error is read on another thread, so that neither pipe fills while the other is read.
        let errorBytes = BackgroundRead(errors.fileHandleForReading)
        let outputBytes = captureOutput ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        let errorData = errorBytes.wait()
        process.waitUntilExit()
        return (process.terminationStatus, outputBytes, errorData)
    }
}

/// A file handle read to its end on another thread.
private final class BackgroundRead: @unchecked Sendable {
    private var bytes = Data()
    private let done = DispatchGroup()

    init(_ handle: FileHandle) {
        done.enter()
        Thread {
            self.bytes = handle.readDataToEndOfFile()
            self.done.leave()
        }.start()
    }

    /// The bytes, once the other end is closed.
    func wait() -> Data {
        done.wait()
        return bytes
    }
}
