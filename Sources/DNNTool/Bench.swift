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
            """)

    @Option(help: "Training data (.h5 or .csv).")
    var train: String?

    @Option(help: "Random data instead of a file: features x examples, e.g. 12288x209.")
    var shape: String?

    @OptionGroup var data: DataOptions

    @OptionGroup var network: NetworkOptions

    @Option(help: "Iterations to time.")
    var iterations = 100

    @OptionGroup var engineOptions: EngineOptions

    @Option(help: "How the large products use the threads: auto, blas (OpenBLAS's own threading) or split (ours).")
    var parallel: ParallelStrategy = .auto

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    private var parsedShape: (features: Int, examples: Int)? {
        guard let shape else { return nil }
        let parts = shape.split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { return nil }
        return (parts[0], parts[1])
    }

    func validate() throws {
        guard (train == nil) != (shape == nil) else {
            throw ValidationError("give either --train FILE or --shape FEATURESxEXAMPLES")
        }
        if shape != nil && parsedShape == nil {
            throw ValidationError("--shape \(shape!): expected two positive sizes, e.g. 12288x209")
        }
        guard iterations >= 1 else { throw ValidationError("--iterations \(iterations): must be at least 1") }
    }

    func run() throws {
        let (X, Y, source) = try examples()
        let classes = max(2, Int(Y.scalars.max()!) + 1)
        let model = try DeepNeuralNetwork(network: network.network(inputs: X.rows, classes: classes))
        // Refuse a forced dual engine that would not fit before touching the data.
        _ = try TrainingPlan(
            layerSizes: model.layerSizes, examples: X.cols, iterations: iterations,
            precision: engineOptions.precision, engine: engineOptions.engine, threads: engineOptions.threads)
        let result = try model.benchmark(
            X, Y, learningRate: network.learningRate ?? NetworkOptions.defaultLearningRate, iterations: iterations,
            precision: engineOptions.precision,
            engine: engineOptions.engine, threads: engineOptions.threads, parallelism: parallel)
        json ? printJSON(result) : printText(result, source: source)
    }

    private func examples() throws -> (Matrix, Matrix, String) {
        if let train {
            let set = try data.load(train)
            return (set.X, set.Y, train)
        }
        let (features, examples) = parsedShape!
        let bytes = Double(features) * Double(examples) * 8
        guard bytes <= Double(ProcessInfo.processInfo.physicalMemory) / 4 else {
            throw DNNError(
                "--shape \(shape!): X would take \(String(format: "%.1f", bytes / 1e9)) GB, too much for this machine")
        }
        var rng = NumPyRandom(seed: 0)
        return (rng.rand(features, examples), rng.rand(1, examples).map { $0 < 0.5 ? 0 : 1 }, "random data")
    }

    private func printText(_ r: BenchmarkResult, source: String) {
        print(
            "\(r.layerSizes) on \(r.examples) examples (\(source)), \(r.precision.rawValue), \(r.iterations) iterations"
        )
        print("engine: \(r.plan.engine.rawValue), \(r.plan.threads) threads, BLAS kernels \(blasKernelName())")
        print("heavy work: \(r.parallelism.joined(separator: "; "))")
        print(String(format: "setup:      %.3f s", r.setupSeconds))
        print(String(format: "iterations: %.3f s, %.3f ms per iteration", r.loopSeconds, r.millisecondsPerIteration))
        print(
            String(
                format: "rate:       %.1f GFLOP/s, %.1f GB/s effective over X", r.gigaflopsPerSecond,
                r.effectiveGigabytesPerSecondOverX))
        print(String(format: "total:      %.3f s; last cost %.10f", r.totalSeconds, r.costs.last!.cost))
    }

    private func printJSON(_ r: BenchmarkResult) {
        let costs = r.costs.map { "[\($0.iteration),\($0.cost)]" }.joined(separator: ",")
        print(
            "{\"engine\":\"\(r.plan.engine.rawValue)\",\"kernels\":\"\(blasKernelName())\",\"precision\":\"\(r.precision.rawValue)\",\"threads\":\(r.plan.threads),"
                + "\"setup_seconds\":\(r.setupSeconds),\"loop_seconds\":\(r.loopSeconds),\"seconds\":\(r.totalSeconds),"
                + "\"ms_per_iteration\":\(r.millisecondsPerIteration),\"gflops\":\(r.gigaflopsPerSecond),"
                + "\"gbps_over_x\":\(r.effectiveGigabytesPerSecondOverX),\"costs\":[\(costs)]}")
    }
}
