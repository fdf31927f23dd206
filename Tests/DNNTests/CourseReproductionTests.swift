import DNN
import Foundation
import Testing

/// The course's second notebook on its own files: learning rate 0.0075, 2500 iterations, costs
/// every 100, through every training path. Expected values: the course's published ones, and
/// the full-precision costs of `shared/bench/numpy_baseline.py` (the course's algorithm in
/// numpy, float64) every 100 iterations (`Reference/numpy-baseline-costs.json`).
@Suite(
    "The course's cat classifiers, reproduced", .serialized,
    .enabled(if: SharedData.hasCatFiles, SharedData.skipReason))
struct CourseReproductionTests {
    static let data: (train: Dataset, test: Dataset)? = {
        guard SharedData.hasCatFiles else { return nil }
        return (
            try! Dataset.load(SharedData.path("train_catvnoncat.h5")),
            try! Dataset.load(SharedData.path("test_catvnoncat.h5"))
        )
    }()

    struct Baseline: Decodable {
        let costs: [[Double]]
        let train_accuracy: Double
        let test_accuracy: Double
    }

    static let numpy: [String: Baseline] = {
        let url = Reference.directory.appendingPathComponent("numpy-baseline-costs.json")
        return try! JSONDecoder().decode([String: Baseline].self, from: Data(contentsOf: url))
    }()

    /// Trains `layerSizes` as the course does and returns the reported costs and both accuracies.
    static func train(
        _ layerSizes: [Int], engine: EngineSelection, precision: Precision = .float64
    ) throws -> (costs: [Int: Double], train: Double, test: Double) {
        let (train, test) = data!
        var model = try DeepNeuralNetwork(layerSizes: layerSizes)
        let history = try model.train(
            train.X, train.Y, learningRate: 0.0075, iterations: 2500, precision: precision, engine: engine)
        #expect(model.training?.engine == (engine == .auto ? .dual : engine))
        return (
            Dictionary(uniqueKeysWithValues: history.map { ($0.iteration, $0.cost) }),
            try model.accuracy(train.X, train.Y), try model.accuracy(test.X, test.Y)
        )
    }

    /// Every cost numpy printed, at `tolerance` relative; returns the largest difference.
    @discardableResult
    static func expectNumPyCosts(_ costs: [Int: Double], _ model: String, tolerance: Double) -> Double {
        var worst = 0.0
        for pair in numpy[model]!.costs {
            let (iteration, expected) = (Int(pair[0]), pair[1])
            let difference = abs(costs[iteration]! - expected) / expected
            worst = max(worst, difference)
            #expect(difference < tolerance, "\(model): cost at \(iteration) is \(costs[iteration]!), numpy \(expected)")
        }
        print("\(model): largest relative cost difference from numpy \(worst)")
        return worst
    }

    @Test("two-layer model (12288, 7, 1)", arguments: [EngineSelection.direct, .dual])
    func twoLayer(engine: EngineSelection) throws {
        let run = try Self.train([12288, 7, 1], engine: engine)
        #expect(run.costs.count == 26)  // iterations 0, 100, …, 2400 and the last, 2499
        // The course's published values, to 1e-8 relative as asked; our paths agree with numpy to ~1e-14.
        for (iteration, expected) in [(0, 0.6930497356599888), (100, 0.6464320953428849), (2400, 0.048554785628770226)]
        {
            #expect(abs(run.costs[iteration]! - expected) / expected < 1e-8, "cost at \(iteration)")
        }
        Self.expectNumPyCosts(run.costs, "two-layer [12288, 7, 1]", tolerance: 1e-7)
        #expect(run.train == 1.0)
        #expect(run.test == 0.72)
    }

    @Test("L-layer model [12288, 20, 7, 5, 1]", arguments: [EngineSelection.direct, .dual])
    func lLayer(engine: EngineSelection) throws {
        let run = try Self.train([12288, 20, 7, 5, 1], engine: engine)
        // The course prints "%f": each cost rounds to the printed 6 decimals.
        for (iteration, printed) in [(0, 0.771749), (100, 0.672053), (2400, 0.092878)] {
            #expect(abs(run.costs[iteration]! - printed) <= 5e-7, "cost at \(iteration)")
        }
        Self.expectNumPyCosts(run.costs, "L-layer [12288, 20, 7, 5, 1]", tolerance: 1e-7)
        #expect(abs(run.train - 0.985645933014) < 1e-12)
        #expect(run.test == 0.8)
    }

    @Test("the automatic choice takes the dual path for the cat data")
    func automatic() throws {
        let plan = try TrainingPlan(
            layerSizes: [12288, 20, 7, 5, 1], examples: 209, iterations: 2500, precision: .float64,
            availableMemory: 16e9)
        #expect(plan.engine == .dual)
        let flower = try TrainingPlan(
            layerSizes: [2, 20, 7, 5, 1], examples: 400, iterations: 2500, precision: .float64, availableMemory: 16e9)
        #expect(flower.engine == .direct)
    }

    /// Float32 training is chaotic on this problem (see shared/bench/README.md): runs agree with
    /// float64 early on, and their end is judged by accuracy within one picture.
    @Test("float32 on the direct path reaches the course's accuracies")
    func float32() throws {
        let run = try Self.train([12288, 20, 7, 5, 1], engine: .direct, precision: .float32)
        try Self.expectEarlyAgreement(run.costs)
        #expect(abs(run.train - 0.985645933014) <= 1.0 / 209 + 1e-12)
        #expect(abs(run.test - 0.8) <= 1.0 / 50 + 1e-12)
    }

    /// The dual path in float32 rounds G = XᵀX (sums of 12288 products) and C·G in float32: a
    /// different float32 trajectory, which drifts from float64's as float32 runs do here. It must
    /// agree early and learn; its end is not pinned to one picture.
    @Test("float32 on the dual path agrees early and learns")
    func float32Dual() throws {
        let run = try Self.train([12288, 20, 7, 5, 1], engine: .dual, precision: .float32)
        try Self.expectEarlyAgreement(run.costs)
        #expect(run.train > 0.95)
        #expect(run.test >= 0.7)
    }

    /// Costs at iterations 0 and 100 within 1e-4 of numpy's float64: float32's rounding (ε ≈ 6e-8)
    /// accumulated over 100 iterations stays well below that.
    static func expectEarlyAgreement(_ costs: [Int: Double]) throws {
        for iteration in [0, 100] {
            let float64 = numpy["L-layer [12288, 20, 7, 5, 1]"]!.costs.first { Int($0[0]) == iteration }![1]
            #expect(abs(costs[iteration]! - float64) / float64 < 1e-4, "cost at \(iteration)")
        }
    }
}
