import ArgumentParser
import DNN
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time training: milliseconds per iteration, GFLOP/s and effective GB/s over X.",
        discussion: """
            Trains on a data file, or on random data of a given shape, and reports the time of the \
            iterations and of the setup apart. `scripts/compare-numpy` runs this beside the course's \
            numpy code on the same settings and prints the ratios.

              dnn bench --train train_catvnoncat.h5 --iterations 2500 --engine direct
              dnn bench --shape 12288x209 --layers 20,7,5 --precision float32
              dnn bench --shape 784x50000 --layers 128,64 --mini-batch-size 256 --epochs 1 --optimizer adam

            It takes train's network and optimiser options; `scripts/compare-peers` times it beside \
            numpy and PyTorch on the workloads of the README's speed table.
            """)

    @Option(help: "Training data (.h5 or .csv).")
    var train: String?

    @Option(help: "Random data instead of a file: features x examples, e.g. 12288x209.")
    var shape: String?

    @OptionGroup var data: DataOptions

    @OptionGroup var network: NetworkOptions

    @Option(help: "Iterations to time (full batches; with --mini-batch-size, --epochs counts passes).")
    var iterations = 100

    @OptionGroup var improvements: ImprovementOptions

    @OptionGroup var engineOptions: EngineOptions

    @Option(help: "How the large products use the threads: auto, blas (OpenBLAS's own threading) or split (ours).")
    var parallel: ParallelStrategy = .auto

    @Option(help: "Record the cost every N passes (and at the last).")
    var printEvery = 100

    @Flag(
        help: ArgumentHelp(
            "Also time each matrix product of a pass alone, beside a 3072×3072 square product.",
            discussion:
                "The square product is the machine's limit for these BLAS kernels and threads; each product's GFLOP/s is printed with its fraction of it."
        ))
    var products = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(
        help: ArgumentHelp(
            "Time MPI's allreduce of each model's gradients instead of training (under mpirun).",
            discussion:
                "What distributed training exchanges per step, for the course's two models and the tall [784, 128, 64, 1] "
                + "model: mpirun -np 2 dnn bench --allreduce. Prints the median of 200 sums, float64 and float32."))
    var allreduce = false

    private var parsedShape: (features: Int, examples: Int)? {
        guard let shape else { return nil }
        let parts = shape.split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { return nil }
        return (parts[0], parts[1])
    }

    func validate() throws {
        if allreduce { return }
        guard (train == nil) != (shape == nil) else {
            throw ValidationError("give either --train FILE or --shape FEATURESxEXAMPLES")
        }
        if shape != nil && parsedShape == nil {
            throw ValidationError("--shape \(shape!): expected two positive sizes, e.g. 12288x209")
        }
        guard printEvery >= 1 else { throw ValidationError("--print-every \(printEvery): must be at least 1") }
        guard iterations >= 1 else { throw ValidationError("--iterations \(iterations): must be at least 1") }
        if improvements.epochs != nil && improvements.miniBatchSize == nil {
            throw ValidationError("--epochs goes with --mini-batch-size; full-batch training counts --iterations")
        }
    }

    func run() throws {
        if allreduce { return try timeAllreduce() }
        let (X, Y, source) = try examples()
        let classes = max(2, Int(Y.scalars.max()!) + 1)
        let model = try DeepNeuralNetwork(network: network.network(inputs: X.features, classes: classes))
        let options = TrainingOptions(
            learningRate: network.learningRate ?? Preset.course.learningRate,
            iterations: improvements.miniBatchSize == nil ? iterations : improvements.epochs ?? iterations,
            miniBatchSize: improvements.miniBatchSize, optimizer: try improvements.chosenOptimizer(),
            schedule: try improvements.chosenSchedule(), l2: improvements.regularization.l2 ?? 0,
            keepProb: improvements.regularization.keepProb ?? 1,
            dropoutSeeding: improvements.dropoutSeeding ?? .fresh, reportEvery: printEvery,
            precision: engineOptions.precision,
            engine: engineOptions.engine, threads: engineOptions.threads)
        let result = try model.benchmark(X, Y, options: options, parallelism: parallel)
        let rates =
            products
            ? ProductRate.measure(
                layerSizes: model.layerSizes, batch: min(improvements.miniBatchSize ?? X.examples, X.examples),
                precision: options.precision, threads: result.plan.threads) : []
        json ? printJSON(result, rates) : printText(result, rates, source: source)
    }

    private func examples() throws -> (FeatureMatrix, Matrix, String) {
        if let train {
            let set = try data.load(train)
            return (set.features, set.Y, train)
        }
        let (features, examples) = parsedShape!
        let bytes = Double(features) * Double(examples) * 8
        guard bytes <= Double(ProcessInfo.processInfo.physicalMemory) / 4 else {
            throw DNNError(
                "--shape \(shape!): X would take \(String(format: "%.1f", bytes / 1e9)) GB, too much for this machine")
        }
        var rng = NumPyRandom(seed: 0)
        return (
            FeatureMatrix(rng.rand(features, examples)), rng.rand(1, examples).map { $0 < 0.5 ? 0 : 1 }, "random data"
        )
    }

    private func printText(_ r: BenchmarkResult, _ rates: [ProductRate], source: String) {
        let unit = r.miniBatchSize == nil ? "iteration" : "epoch"
        let passes =
            r.miniBatchSize.map { "\(r.iterations) epochs of mini-batches of \($0)" } ?? "\(r.iterations) iterations"
        print("\(r.layerSizes) on \(r.examples) examples (\(source)), \(r.precision.rawValue), \(passes)")
        print("engine: \(r.plan.engine.rawValue), \(r.plan.threads) threads, BLAS kernels \(blasKernelName())")
        print("path: \(r.path)")
        print("threads: \(r.parallelism.joined(separator: "; "))")
        print(String(format: "setup:      %.3f s", r.setupSeconds))
        print(String(format: "passes:     %.3f s, %.3f ms per \(unit)", r.loopSeconds, r.millisecondsPerIteration))
        print(
            String(
                format: "rate:       %.1f GFLOP/s, %.1f GB/s effective over X", r.gigaflopsPerSecond,
                r.effectiveGigabytesPerSecondOverX))
        print(String(format: "total:      %.3f s; last cost %.10f", r.totalSeconds, r.costs.last!.cost))
        guard let square = rates.first else { return }
        print("products, each timed alone (op(A) m×k times op(B) k×n):")
        for rate in rates {
            let name = rate.name.padding(toLength: 22, withPad: " ", startingAt: 0)
            print(
                "  \(name)"
                    + String(
                        format: " %6d×%-6d k %-6d %7.1f GFLOP/s  %5.1f%%", rate.m, rate.n, rate.k,
                        rate.gigaflopsPerSecond, 100 * rate.gigaflopsPerSecond / square.gigaflopsPerSecond))
        }
    }

    private func printJSON(_ r: BenchmarkResult, _ rates: [ProductRate]) {
        let object: [String: Any] = [
            "engine": r.plan.engine.rawValue, "kernels": blasKernelName(), "precision": r.precision.rawValue,
            "threads": r.plan.threads, "parallelism": r.parallelism.joined(separator: "; "), "path": r.path,
            "setup_seconds": r.setupSeconds, "loop_seconds": r.loopSeconds, "seconds": r.totalSeconds,
            "ms_per_iteration": r.millisecondsPerIteration, "gflops": r.gigaflopsPerSecond,
            "gbps_over_x": r.effectiveGigabytesPerSecondOverX,
            "costs": r.costs.map { [$0.iteration, $0.cost] as [Any] },
            "products": rates.map {
                ["name": $0.name, "m": $0.m, "n": $0.n, "k": $0.k, "gflops": $0.gigaflopsPerSecond]
            },
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Times the sum over every process of each model's gradients (and its cost), as distributed
    /// training does after every batch: the median of 200, after 20 to warm up.
    private func timeAllreduce() throws {
        let world = try Communicator.world()
        defer { world.finish() }
        let models: [(name: String, sizes: [Int])] = [
            ("two-layer cat", [12288, 7, 1]), ("L-layer cat", [12288, 20, 7, 5, 1]), ("tall", [784, 128, 64, 1]),
        ]
        if world.rank == 0 {
            print("\(world.size) processes; median of 200 allreduce sums (each process's gradients and cost)")
        }
        for (name, sizes) in models {
            let count = (1..<sizes.count).reduce(1) { $0 + sizes[$1] * sizes[$1 - 1] + sizes[$1] }
            for (precision, bytes) in [("float64", 8), ("float32", 4)] {
                var times = [Double]()
                var doubles = [Double](repeating: 1, count: count)
                var floats = [Float](repeating: 1, count: count)
                for round in 0..<220 {
                    try world.barrier()
                    let start = DispatchTime.now().uptimeNanoseconds
                    if bytes == 8 {
                        try doubles.withUnsafeMutableBufferPointer { try world.sum($0.baseAddress!, count: count) }
                    } else {
                        try floats.withUnsafeMutableBufferPointer { try world.sum($0.baseAddress!, count: count) }
                    }
                    if round >= 20 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
                }
                let median = times.sorted()[times.count / 2]
                if world.rank == 0 {
                    let size = Double(count * bytes)
                    let label = name.padding(toLength: 14, withPad: " ", startingAt: 0)
                    print(
                        "  \(label) \(precision)"
                            + String(format: " %8d values, %7.1f KB: %8.1f µs", count, size / 1e3, median * 1e6))
                }
            }
        }
    }
}
