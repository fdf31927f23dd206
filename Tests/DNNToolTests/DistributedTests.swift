import DNN
import Foundation
import Testing

/// Data-parallel training over MPI: `mpirun -np N dnn train --distributed` against one process.
///
/// These need Open MPI (`scripts/install-deps --tests` installs it). Where it is missing they are
/// skipped, saying so, except in CI (`CI` set), where they fail.
@Suite("Distributed training over MPI equals one process", .serialized, .enabled(if: MPIJob.runnable, MPIJob.reason))
struct DistributedTests {
    /// The costs a run logged, by iteration.
    static func costs(_ directory: String, _ log: String) throws -> [Double] {
        let text = try String(contentsOfFile: directory + "/" + log, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1])! }
    }

    static func largestDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) / abs($0) }.max() ?? .infinity
    }

    /// The course's L-layer cat run on the direct path, 2500 iterations: 209 examples, so neither
    /// 2 nor 3 shards are even.
    @Test("the course's L-layer cat model, 2 and 3 processes: every cost to 1e-12, the same accuracies")
    func catLayers() throws {
        let directory = temporaryDirectory()
        let arguments = [
            "train", "--train", SharedData.path("train_catvnoncat.h5"), "--test", SharedData.path("test_catvnoncat.h5"),
            "--layers", "20,7,5", "--iterations", "2500", "--engine", "direct", "--threads", "1",
        ]
        let single = try CommandRunner.run(arguments + ["--log", "single.csv"], in: directory)
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try Self.costs(directory, "single.csv")
        #expect(expected.count == 2500)
        let accuracies = single.stdout.split(separator: "\n").filter { $0.contains("accuracy") }
        #expect(accuracies.count == 2)
        for processes in [2, 3] {
            let log = "np\(processes).csv"
            let run = try MPIJob.run(processes: processes, arguments + ["--distributed", "--log", log], in: directory)
            #expect(run.status == 0, "\(run.stderr)")
            let costs = try Self.costs(directory, log)
            #expect(costs.count == 2500)
            let worst = Self.largestDifference(expected, costs)
            #expect(worst < 1e-12, "\(processes) processes: largest relative cost difference \(worst)")
            // Rank 0 alone prints: the accuracies once each, and the same as one process's.
            #expect(run.stdout.split(separator: "\n").filter { $0.contains("accuracy") } == accuracies)
        }
    }

    /// The course's optimisation run: mini-batches of 64 with Adam on the moons, 1000 epochs. Every
    /// process shuffles all examples alike and takes its own from each batch.
    @Test("the moons in mini-batches of 64 with Adam, 2 and 3 processes: every epoch's cost to 1e-12")
    func moonsAdam() throws {
        try expectSameCosts(
            [
                "train", "--train", SharedData.path("course2/moons_train.csv"), "--layers", "5,2", "--init", "he",
                "--mini-batch-size", "64", "--optimizer", "adam", "--learning-rate", "0.0007", "--iterations", "1000",
            ], processes: [2, 3], passes: 1000)
    }

    /// Dropout's masks are drawn for the batch of all processes, each keeping its columns; digits
    /// (1347 examples: shards of 674 and 673, or 449) through a softmax over ten classes, in
    /// mini-batches and in full batches.
    @Test(
        "dropout, softmax and uneven shards, in full and mini-batches: every cost to 1e-12", arguments: [false, true])
    func dropoutSoftmax(miniBatches: Bool) throws {
        try expectSameCosts(
            [
                "train", "--train", SharedData.path("real/digits_train.csv"), "--layers", "32,16", "--keep-prob", "0.8",
                "--learning-rate", "0.01", "--iterations", "60", "--l2", "0.1",
            ] + (miniBatches ? ["--mini-batch-size", "100", "--optimizer", "momentum"] : []),
            processes: [2, 3], passes: 60)
    }

    /// Every task: a regression of two targets (squared error) in mini-batches with Adam, and three
    /// labels (sigmoid units) in full batches with L2, on 200 examples (shards of 100, or 67, 67, 66).
    @Test("regression of two targets and multi-label, 2 and 3 processes: every cost to 1e-12")
    func otherTasks() throws {
        let data = temporaryDirectory()
        try TaskCommandTests.writeData(to: data)
        try expectSameCosts(
            [
                "train", "--train", data + "/regression.csv", "--target", "y1,y2", "--layers", "8:tanh",
                "--mini-batch-size", "32", "--optimizer", "adam", "--learning-rate", "0.05", "--iterations", "40",
            ], processes: [2, 3], passes: 40)
        try expectSameCosts(
            [
                "train", "--train", data + "/labels.csv", "--target", "a,b,c", "--layers", "8", "--l2", "0.1",
                "--learning-rate", "0.3", "--iterations", "50",
            ], processes: [2, 3], passes: 50)
    }

    /// Batch normalisation: each batch's statistics summed over the shards inside the passes. Full
    /// batches with L2; and batches of 4 with Adam, where a shard often holds none of a batch's
    /// examples and joins the sums with zeros.
    @Test("batch normalisation, 2 and 3 processes: every cost to 1e-12")
    func batchNormalization() throws {
        let data = temporaryDirectory()
        try TaskCommandTests.writeData(to: data)
        try expectSameCosts(
            [
                "train", "--train", data + "/labels.csv", "--target", "a,b,c", "--layers", "8:tanh:bn,4:bn", "--l2",
                "0.1", "--learning-rate", "0.3", "--iterations", "30",
            ], processes: [2, 3], passes: 30)
        try expectSameCosts(
            [
                "train", "--train", data + "/labels.csv", "--target", "a,b,c", "--layers", "8:bn", "--mini-batch-size",
                "4", "--optimizer", "adam", "--learning-rate", "0.01", "--iterations", "4",
            ], processes: [2, 3], passes: 4)
    }

    /// Runs `arguments` as one process and as each count of `processes`, and expects the same cost
    /// at each of `passes` passes to 1e-12.
    func expectSameCosts(_ arguments: [String], processes: [Int], passes: Int) throws {
        let directory = temporaryDirectory()
        let arguments = arguments + ["--threads", "1", "--quiet"]
        let single = try CommandRunner.run(arguments + ["--log", "single.csv"], in: directory)
        #expect(single.status == 0, "\(single.stderr)")
        let expected = try Self.costs(directory, "single.csv")
        #expect(expected.count == passes)
        for count in processes {
            let log = "np\(count).csv"
            let run = try MPIJob.run(processes: count, arguments + ["--distributed", "--log", log], in: directory)
            #expect(run.status == 0, "\(run.stderr)")
            let worst = Self.largestDifference(expected, try Self.costs(directory, log))
            #expect(worst < 1e-12, "\(count) processes: largest relative cost difference \(worst)")
        }
    }

    /// A process killed mid-run: mpirun ends the others, rank 0 says why in one line, and no
    /// model is written.
    @Test("killing one process mid-run ends the job within seconds: one line, no model written")
    func killedProcess() throws {
        let directory = temporaryDirectory()
        let job = try MPIJob.start(
            processes: 2,
            [
                "train", "--train", SharedData.path("train_catvnoncat.h5"), "--layers", "20,7,5", "--iterations",
                "100000", "--engine", "direct", "--threads", "1", "--distributed", "--output", "m.json",
            ], in: directory)
        // Both processes running, well into training.
        var ranks = [Int32]()
        for _ in 0..<100 where ranks.count < 2 {
            Thread.sleep(forTimeInterval: 0.1)
            ranks = MPIJob.children(of: job.process.processIdentifier)
        }
        #expect(ranks.count == 2)
        Thread.sleep(forTimeInterval: 2)
        // Rank 1: rank 0 is the one that speaks.
        let rankOne = ranks.first { pid in
            let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") ?? Data()
            return environment.split(separator: 0).contains { Data("OMPI_COMM_WORLD_RANK=1".utf8) == Data($0) }
        }
        #expect(rankOne != nil)
        kill(rankOne ?? ranks.max()!, SIGKILL)
        let killed = Date()
        let stderr = job.error.fileHandleForReading.readDataToEndOfFile()
        job.process.waitUntilExit()
        #expect(Date().timeIntervalSince(killed) < 10)
        #expect(job.process.terminationStatus != 0)
        let lines = String(decoding: stderr, as: UTF8.self).split(separator: "\n")
        #expect(
            lines == [
                "dnn: training stopped: another process of the MPI job failed or was killed; no output was written"
            ])
        #expect(!FileManager.default.fileExists(atPath: directory + "/m.json"))
        #expect(try directoryContents(directory).isEmpty)
    }

    @Test("a setting that is not distributed yet: one line from rank 0, status 2, nothing written")
    func refusedSetting() throws {
        let directory = temporaryDirectory()
        let run = try MPIJob.run(
            processes: 2,
            [
                "train", "--train", SharedData.path("train_catvnoncat.h5"), "--layers", "7", "--distributed",
                "--standardize", "--output", "m.json",
            ], in: directory)
        #expect(run.status == 2)
        #expect(
            run.stderr.split(separator: "\n") == [
                "dnn: --standardize is not distributed yet; leave out --distributed or --standardize"
            ])
        #expect(try directoryContents(directory).isEmpty)
    }

    /// Three processes for two examples: an empty shard crashed the third (an empty matrix).
    /// Every process loads the few examples, and all refuse alike after one collective check.
    @Test("more processes than examples: one line from rank 0, status 1, nothing written")
    func moreProcessesThanExamples() throws {
        let directory = try directoryWithDataAndModel()
        let before = try directoryContents(directory)
        let run = try MPIJob.run(
            processes: 3,
            [
                "train", "--train", "data.csv", "--layers", "2", "--iterations", "3", "--distributed", "--output",
                "o.json",
            ],
            in: directory)
        #expect(run.status == 1)
        #expect(
            run.stderr.split(separator: "\n") == [
                "dnn: 3 processes for 2 training examples: each needs one at least; run at most 2 processes"
            ])
        #expect(try directoryContents(directory) == before)
    }

    /// Two processes of one job with other iteration counts (mpirun's `prog : prog` form): the one
    /// that finished first left the other waiting in an allreduce forever.
    @Test("processes that disagree on their command: stopped within seconds, one line from rank 0")
    func disagreeingProcesses() throws {
        guard let mpirun = MPIJob.mpirun else { return }
        let directory = try directoryWithDataAndModel()
        let before = try directoryContents(directory)
        func rank(_ iterations: Int) -> [String] {
            [
                "-np", "1", CommandRunner.binary.path, "train", "--train", "data.csv", "--layers", "2", "--iterations",
                "\(iterations)", "--distributed", "--output", "o.json",
            ]
        }
        let started = Date()
        let run = try CommandRunner.run(
            URL(fileURLWithPath: mpirun),
            Array(MPIJob.options(1).dropLast(2)) + rank(3) + [":"] + rank(5), in: directory,
            environment: MPIJob.environment)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(run.status == 1)
        #expect(
            run.stderr.split(separator: "\n") == [
                "dnn: the 2 processes of the MPI job disagree on the command line; "
                    + "every process must run the same command on the same data"
            ])
        #expect(try directoryContents(directory) == before)
    }

    @Test("without mpirun, --distributed is one process: the same costs")
    func oneRank() throws {
        let directory = temporaryDirectory()
        let arguments = [
            "train", "--train", SharedData.path("train_catvnoncat.h5"), "--layers", "7", "--iterations", "20",
            "--threads", "1",
        ]
        #expect(try CommandRunner.run(arguments + ["--log", "a.csv"], in: directory).status == 0)
        let run = try CommandRunner.run(arguments + ["--distributed", "--log", "b.csv"], in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(Self.largestDifference(try Self.costs(directory, "a.csv"), try Self.costs(directory, "b.csv")) < 1e-12)
    }
}

/// Running `dnn` under `mpirun`.
enum MPIJob {
    static let mpirun: String? = ["/usr/bin/mpirun", "/usr/local/bin/mpirun", "/opt/homebrew/bin/mpirun"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// In CI the tests run whether or not MPI is there, and fail without it.
    static var runnable: Bool { mpirun != nil || ProcessInfo.processInfo.environment["CI"] != nil }
    static var reason: Comment { "needs Open MPI's mpirun (scripts/install-deps --tests installs it)" }

    /// `mpirun -np N dnn …` on this machine: as root where the tests run as root, more processes
    /// than cores allowed, without the single-copy mechanism, which containers refuse, and
    /// `--quiet` (mpirun's own notices about a failed process left out).
    static func run(processes: Int, _ arguments: [String], in directory: String) throws -> CommandRunner.Result {
        guard let mpirun else {
            Issue.record("these tests need Open MPI's mpirun (scripts/install-deps --tests installs it)")
            return CommandRunner.Result(status: -1, stdout: "", stderr: "no mpirun")
        }
        return try CommandRunner.run(
            URL(fileURLWithPath: mpirun), options(processes) + [CommandRunner.binary.path] + arguments, in: directory,
            environment: environment)
    }

    static func options(_ processes: Int) -> [String] {
        (getuid() == 0 ? ["--allow-run-as-root"] : []) + ["--quiet", "--oversubscribe", "-np", "\(processes)"]
    }

    static let environment = ["OMPI_MCA_btl_vader_single_copy_mechanism": "none"]

    /// The same, started and left running: the process, and the pipe of its standard error.
    static func start(processes: Int, _ arguments: [String], in directory: String) throws -> (
        process: Process, error: Pipe
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mpirun ?? "/usr/bin/mpirun")
        process.arguments = options(processes) + [CommandRunner.binary.path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, error)
    }

    /// The processes whose parent is `parent` (mpirun's: the ranks on this machine).
    static func children(of parent: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = status.lastIndex(of: ")")
            else { return false }
            // After "pid (name) state ppid".
            let fields = status[status.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }
}
