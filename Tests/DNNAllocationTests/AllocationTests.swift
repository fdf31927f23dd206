import Foundation
import MallocInterposerSwift
import Testing

@testable import DNN

/// The training loop allocates nothing: every buffer is made when the engine starts.
///
/// The measurement runs in a child process (an exit test), so that no other test allocates while
/// the counters run; the child prints its counts and fails unless they are all zero.
@Suite("Training allocates nothing per iteration")
struct AllocationTests {
    /// Mallocs during 50 iterations, after one to warm BLAS up.
    static func mallocs<Scalar>(_ engine: TrainingEngine<Scalar>) -> Int {
        _ = engine.epoch(learningRate: 0.01)
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        for _ in 0..<50 { _ = engine.epoch(learningRate: 0.01) }
        MallocInterposerSwift.unhook()
        return Int(MallocInterposerSwift.getStatistics().mallocCount)
    }

    /// Every path and precision, one and two threads; prints each count and returns their sum.
    static func measureAll() -> Int {
        var rng = NumPyRandom(seed: 2)
        let sizes = [3000, 20, 7, 5, 1]
        let X = rng.rand(3000, 60)
        let Y = rng.rand(1, 60).map { $0 < 0.5 ? 0 : 1 }
        let parameters = InitializationScheme.lLayer.parameters(layerSizes: sizes, seed: 1)
        var total = 0
        for engine in [EngineSelection.direct, .dual] {
            for threads in [1, 2] {
                let plan = try! TrainingPlan(
                    layerSizes: sizes, examples: 60, iterations: 50, precision: .float64, engine: engine,
                    threads: threads)
                let double = mallocs(
                    TrainingEngine<Double>(
                        parameters: parameters, X: X, Y: Y, plan: plan,
                        options: TrainingOptions(learningRate: 0.01, iterations: 1)))
                let float = mallocs(
                    TrainingEngine<Float>(
                        parameters: parameters, X: X, Y: Y, plan: plan,
                        options: TrainingOptions(learningRate: 0.01, iterations: 1)))
                print(
                    "\(engine.rawValue), \(threads) threads: \(double) mallocs in 50 float64 iterations, \(float) in 50 float32"
                )
                total += double + float
            }
        }
        return total
    }

    @Test("direct and dual paths, float64 and float32, one and two threads")
    func noAllocations() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            exit(AllocationTests.measureAll() == 0 ? 0 : 1)
        }
        print(String(decoding: result?.standardOutputContent ?? [], as: UTF8.self), terminator: "")
    }

    @Test("the counter sees allocations, so a zero means something")
    func counterWorks() async {
        await #expect(processExitsWith: .success) {
            MallocInterposerSwift.initialize()
            MallocInterposerSwift.hook()
            let matrix = Matrix.zeros(100, 100)
            MallocInterposerSwift.unhook()
            exit(MallocInterposerSwift.getStatistics().mallocCount > 0 && matrix.rows == 100 ? 0 : 1)
        }
    }
}
