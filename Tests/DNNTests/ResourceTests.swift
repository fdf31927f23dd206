import Foundation
import Testing

@testable import DNN

/// Sizes from files and flags are checked before anything is allocated; threads the system
/// refuses are done without.
@Suite("Bounded resources: sizes checked before allocation, threads that may fail")
struct ResourceTests {
    @Test("overflow-checked byte counts")
    func bytes() {
        #expect(ResourceLimits.bytes([1000, 64, 64, 3], each: 9) == 110_592_000)
        #expect(ResourceLimits.bytes([1 << 40, 1 << 40, 1 << 40], each: 1) == nil)
        #expect(ResourceLimits.bytes([-1], each: 1) == nil)
        #expect(ResourceLimits.sum([1, nil]) == nil)
    }

    @Test("a network too large for memory is refused before its parameters are drawn")
    func hugeNetwork() {
        #expect(throws: DNNError.self) { try DeepNeuralNetwork(layerSizes: [100_000, 100_000, 1]) }
        #expect(throws: DNNError.self) { try DeepNeuralNetwork(layerSizes: [2, Int.max, 1]) }
        do {
            _ = try DeepNeuralNetwork(layerSizes: [2, 3_000_000_000, 1])
            Issue.record("accepted")
        } catch let error as DNNError {
            #expect(error.message.hasPrefix("layer sizes [2, 3000000000, 1] would need "))
            #expect(error.message.hasSuffix("(half of this machine's memory)"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("the limit's message names the value, the bytes and the limit")
    func message() {
        #expect(
            throws: DNNError(
                "data.h5: train_set_x of shape [1000000000, 64, 64, 3] would need 110592.0 GB; the limit is 1.0 GB (half of this machine's memory)"
            )
        ) {
            try ResourceLimits.require(
                ResourceLimits.bytes([1_000_000_000, 64, 64, 3], each: 9),
                for: "data.h5: train_set_x of shape [1000000000, 64, 64, 3]",
                limit: (1_000_000_000, "half of this machine's memory"))
        }
    }

    @Test("threads are capped at four per core (at least 8)")
    func threadCap() throws {
        let plan = try TrainingPlan(
            layerSizes: [2, 3, 1], examples: 10, iterations: 1, precision: .float64, threads: 100_000,
            availableMemory: 16e9)
        #expect(plan.threads == TrainingPlan.maximumThreads())
        #expect(TrainingPlan.maximumThreads(cores: 2) == 8 && TrainingPlan.maximumThreads(cores: 16) == 64)
    }

    /// Under an address-space limit that leaves room for a few thread stacks only, starting 200
    /// helpers fails: the runner says so (nil) and stops those it started, instead of waiting.
    @Test("helper threads the system refuses: no runner, no hang")
    func refusedThreads() async {
        await #expect(processExitsWith: .success) {
            let statm = try! String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
            let pages = Int(statm.split(separator: " ")[0])!
            var saved = rlimit(), limit = rlimit()
            getrlimit(Int32(RLIMIT_AS.rawValue), &saved)
            limit.rlim_cur = rlim_t(pages * 4096 + 64 << 20)
            limit.rlim_max = saved.rlim_max
            setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
            let runner = ParallelRunner(parts: 200) { _, _ in }
            setrlimit(Int32(RLIMIT_AS.rawValue), &saved)
            // _exit: no exit handlers, among them OpenBLAS's, whose threads may be waiting on memory
            // this limit took away.
            _exit(runner == nil ? 0 : 1)
        }
    }
}
