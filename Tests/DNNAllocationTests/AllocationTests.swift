import AllocationAttribution
import Foundation
import MallocInterposerSwift
import Testing

@testable import DNN

/// The training loop allocates nothing: every buffer is made when the engine starts.
///
/// Each allocation the interposer counts is attributed to BLAS when the allocating thread's stack
/// passes through the BLAS library, and to the engine otherwise (`AllocationAttribution`): some
/// OpenBLAS kernels allocate inside `dgemm` (its Cooperlake kernels do, its Haswell ones do not),
/// which says nothing about the engine. The engine's own count must be zero on every machine.
///
/// Measurements run in a child process (an exit test), so that no other test allocates while the
/// counters run; the child prints its counts and the parent checks them.
@Suite("Training allocates nothing per iteration")
struct AllocationTests {
    /// Allocations made by `body`, split into those inside BLAS and the others.
    static func allocations(_ body: () -> Void) -> (engine: Int, blas: Int) {
        MallocInterposerSwift.initialize()
        allocation_attribution_reset()
        MallocInterposerSwift.setAllocationHook { allocation_attribution_hook($0) }
        MallocInterposerSwift.hook()
        body()
        MallocInterposerSwift.unhook()
        MallocInterposerSwift.setAllocationHook(nil)
        return (Int(allocation_attribution_outside()), Int(allocation_attribution_inside()))
    }

    /// Finds the BLAS library's code in memory; stops the child with a message if it cannot.
    static func prepare() {
        var path = [CChar](repeating: 0, count: 4096)
        guard allocation_attribution_prepare("cblas_dgemm", &path, path.count) > 0 else {
            print("cannot find the code of the library that defines cblas_dgemm")
            exit(2)
        }
    }

    /// Allocations over 50 iterations, after one to warm BLAS up.
    static func allocations<Scalar>(_ engine: TrainingEngine<Scalar>) -> (engine: Int, blas: Int) {
        _ = engine.epoch(learningRate: 0.01)
        return allocations {
            for _ in 0..<50 { _ = engine.epoch(learningRate: 0.01) }
        }
    }

    /// What is measured: a network, its training options, and the paths that can train it.
    struct Setting {
        let name: String
        let network: Network
        let options: TrainingOptions
        let paths: [EngineSelection]
        /// The fused sweep forced on the direct path (this X is too small for the rule to take it).
        var sweep: Bool? = nil
    }

    /// The course's network (relu, one sigmoid unit) by full-batch gradient descent, by two
    /// products per layer and by the fused sweep; tanh hidden
    /// layers and a softmax over four classes, the same way and with mini-batches of 16, momentum, L2
    /// and dropout; and the course's network with mini-batches and Adam (direct path only).
    static let settings: [Setting] = {
        let course = Network(layerSizes: [3000, 20, 7, 5, 1])
        let tanhSoftmax = Network(
            inputs: 3000, hidden: [20, 7, 5].map { Layer(units: $0, activation: .tanh) }, head: .softmax, classes: 4)
        let plain = TrainingOptions(learningRate: 0.01, iterations: 1)
        return [
            Setting(name: "relu, sigmoid", network: course, options: plain, paths: [.direct, .dual]),
            Setting(name: "relu, sigmoid, fused sweep", network: course, options: plain, paths: [.direct], sweep: true),
            Setting(name: "tanh, softmax", network: tanhSoftmax, options: plain, paths: [.direct, .dual]),
            Setting(
                name: "tanh, softmax, batches of 16, momentum, L2, dropout", network: tanhSoftmax,
                options: TrainingOptions(
                    learningRate: 0.01, iterations: 1, miniBatchSize: 16, optimizer: .momentum(beta: 0.9), l2: 0.5,
                    keepProb: 0.8),
                paths: [.direct, .dual]),
            Setting(
                name: "relu, sigmoid, batches of 16, Adam", network: course,
                options: TrainingOptions(learningRate: 0.01, iterations: 1, miniBatchSize: 16, optimizer: .courseAdam),
                paths: [.direct]),
        ]
    }()

    static func engine<Scalar>(
        _ type: Scalar.Type, path: EngineSelection, threads: Int, setting: Setting = settings[0]
    ) -> TrainingEngine<Scalar> {
        var rng = NumPyRandom(seed: 2)
        let network = setting.network, sizes = network.layerSizes
        let X = rng.rand(3000, 60)
        let classes = Double(LearningTask.numbered(for: network).names.count)
        let Y = rng.rand(1, 60).map { (classes * $0).rounded(.down) }
        let parameters = InitializationScheme.lLayer.parameters(layerSizes: sizes, seed: 1)
        let plan = try! TrainingPlan(
            layerSizes: sizes, examples: X.cols, iterations: 50,
            precision: Scalar.self == Float.self ? .float32 : .float64, engine: path, threads: threads,
            allowsDual: setting.options.allowsDualPath, availableMemory: 16e9)
        return TrainingEngine<Scalar>(
            parameters: parameters, X: X, Y: Y, plan: plan, options: setting.options, network: network,
            sweep: setting.sweep)
    }

    /// One line per setting, path, precision and thread count, e.g.
    /// `tanh, softmax, direct, 2 threads, float64: engine 0, BLAS 150 allocations in 50 iterations`.
    static func measureAll() -> [String] {
        prepare()
        var lines = ["BLAS kernels: \(blasKernelName())"]
        for setting in settings {
            for path in setting.paths {
                for threads in [1, 2] {
                    let double = allocations(engine(Double.self, path: path, threads: threads, setting: setting))
                    let float = allocations(engine(Float.self, path: path, threads: threads, setting: setting))
                    for (precision, count) in [("float64", double), ("float32", float)] {
                        lines.append(
                            "\(setting.name), \(path.rawValue), \(threads) threads, \(precision): "
                                + "engine \(count.engine), BLAS \(count.blas) allocations in 50 iterations")
                    }
                }
            }
        }
        return lines
    }

    @Test(
        "every setting, path, precision and thread count: the engine allocates nothing per iteration or epoch")
    func noAllocations() async throws {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            print(AllocationTests.measureAll().joined(separator: "\n"))
        }
        let output = String(decoding: result?.standardOutputContent ?? [], as: UTF8.self)
        print(output, terminator: "")
        let counts = output.split(separator: "\n").filter { $0.contains("engine ") }
        let expected = Self.settings.reduce(0) { $0 + 4 * $1.paths.count }
        #expect(counts.count == expected, "one line per setting, path, thread count and precision")
        for line in counts {
            #expect(line.contains("engine 0,"), "\(line)")
        }
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

    /// An allocation per iteration beside the engine's work, on the calling thread, is counted as
    /// the engine's, however BLAS allocates around it: the test above would catch it.
    @Test("an allocation between the engine's BLAS calls is counted as the engine's")
    func engineAllocationCaught() async {
        await #expect(processExitsWith: .success) {
            AllocationTests.prepare()
            let engine = AllocationTests.engine(Double.self, path: .direct, threads: 2)
            _ = engine.epoch(learningRate: 0.01)
            let count = AllocationTests.allocations {
                for _ in 0..<50 {
                    _ = engine.epoch(learningRate: 0.01)
                    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 64)
                    scratch.deallocate()
                }
            }
            exit(count.engine == 50 ? 0 : 1)
        }
    }

    /// The engine's worker threads run BLAS too: an allocation there, beside a product, is the engine's.
    @Test("an allocation on one of the engine's worker threads is counted as the engine's")
    func workerAllocationCaught() async {
        await #expect(processExitsWith: .success) {
            AllocationTests.prepare()
            let size = 64
            let a = Matrix.zeros(size, size), b = Matrix.zeros(size, size)
            let runner = ParallelRunner(parts: 2) { _, _ in
                _ = Matrix.product(a, b)  // allocates its result: one allocation per part, outside BLAS
            }!
            runner.run(job: 0)
            let count = AllocationTests.allocations {
                for _ in 0..<10 { runner.run(job: 0) }
            }
            exit(count.engine >= 20 ? 0 : 1)
        }
    }

    /// OpenBLAS starts its threads inside the library when asked for more: those allocations are
    /// BLAS's, not the engine's. Checked where BLAS can start more threads than it has.
    @Test("allocations inside BLAS are counted as BLAS's")
    func blasAllocationAttributed() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            AllocationTests.prepare()
            _ = Matrix.product(Matrix.zeros(200, 200), Matrix.zeros(200, 200))  // starts BLAS's threads
            let before = blasThreadCount()
            let count = AllocationTests.allocations { requestBLASThreads(before + 3) }
            guard blasThreadCount() > before else {
                print("BLAS did not start more threads; nothing to attribute")
                exit(0)
            }
            print(
                "starting \(blasThreadCount() - before) BLAS threads: BLAS \(count.blas), engine \(count.engine) allocations"
            )
            exit(count.blas > 0 && count.engine == 0 ? 0 : 1)
        }
        print(String(decoding: result?.standardOutputContent ?? [], as: UTF8.self), terminator: "")
    }
}
