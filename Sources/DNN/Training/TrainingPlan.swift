import Foundation

/// Which algorithm trains the first layer.
public enum EngineSelection: String, Sendable, Codable, CaseIterable {
    /// The dual path when it is cheaper and fits in memory, else the direct path.
    case auto
    /// W1 itself is updated; each iteration multiplies by X twice (Z1 = W1·X, dW1 = dZ1·Xᵀ).
    case direct
    /// W1 = W1(0) + C·Xᵀ is kept implicitly through C (n1×m) and the Gram matrix G = XᵀX (m×m):
    /// Z1 = W1(0)·X + C·G + b1, and C −= (α/m)·dZ1. An iteration never touches X.
    case dual
}

/// How the heavy products use several threads.
public enum ParallelStrategy: String, Sendable, Codable, CaseIterable {
    /// The engine's rule: split the work with X between its threads, leave the rest to BLAS.
    case auto
    /// BLAS's own threading (OpenBLAS's split of each product).
    case blas
    /// The engine's threads, each running part of a product on one BLAS thread.
    case split
}

/// What a training run will do, decided before any work starts: the path, the threads, and the
/// work per iteration they imply.
public struct TrainingPlan: Sendable, Equatable {
    /// `direct` or `dual` (never `auto`).
    public let engine: EngineSelection
    /// Threads the heavy products may use.
    public let threads: Int
    /// How those threads are used.
    public let parallelism: ParallelStrategy
    /// Floating-point operations of one iteration.
    public let flopsPerIteration: Double

    /// Plans training of `layerSizes` on m examples for `iterations` iterations.
    ///
    /// Throws when the dual path is forced but its m×m Gram matrix would not fit in memory, or when
    /// the training options (`allowsDual` false) take W1 out of what the dual path keeps.
    /// `availableMemory` (bytes) is the machine's physical memory unless given: the decision
    /// depends on it, so tests pass a fixed size and hold on any machine.
    public init(
        layerSizes: [Int], examples m: Int, iterations: Int, precision: Precision, engine: EngineSelection = .auto,
        threads: Int? = nil, parallelism: ParallelStrategy = .auto, allowsDual: Bool = true,
        availableMemory: Double? = nil
    ) throws {
        let scalarBytes = Double(precision == .float32 ? MemoryLayout<Float>.size : MemoryLayout<Double>.size)
        let (n0, n1, mm) = (Double(layerSizes[0]), Double(layerSizes[1]), Double(m))
        // Layers after the first cost the same on both paths: forward, dW and dA_prev products.
        var rest = 0.0
        for l in 2..<max(layerSizes.count, 2) {
            rest += 6 * Double(layerSizes[l]) * Double(layerSizes[l - 1]) * mm
        }
        let directFirstLayer = 4 * n1 * n0 * mm  // Z1 = W1·X and dW1 = dZ1·Xᵀ
        let dualFirstLayer = 2 * n1 * mm * mm + 2 * n1 * mm  // C·G and the update of C
        let dualSetup = n0 * mm * mm + 2 * n1 * n0 * mm + 2 * n1 * mm * n0
        let dualBytes = (mm * mm + 2 * n1 * mm) * scalarBytes
        let memory = availableMemory ?? Double(ProcessInfo.processInfo.physicalMemory)

        let chosen: EngineSelection
        switch engine {
        case .direct: chosen = .direct
        case .dual:
            guard allowsDual else {
                throw DNNError(
                    "the dual engine cannot follow Adam (its updates leave the span of Xᵀ); use --engine direct")
            }
            guard dualBytes <= memory / 2 else {
                throw DNNError(
                    "the dual engine needs \(Self.gigabytes(dualBytes)) for the \(m)×\(m) Gram matrix of \(m) examples, "
                        + "more than half of this machine's \(Self.gigabytes(memory)); use --engine direct")
            }
            chosen = .dual
        case .auto:
            let iterationsD = Double(iterations)
            let dualTotal = dualSetup + iterationsD * dualFirstLayer
            chosen =
                allowsDual && dualTotal < 0.5 * iterationsD * directFirstLayer && dualBytes <= memory / 8
                ? .dual : .direct
        }
        self.engine = chosen
        // More threads than cores only add waiting, and each asks OpenBLAS for its own buffers
        // (which spins when memory runs out): at most four per core.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        self.threads = max(1, min(threads ?? cores, Self.maximumThreads(cores: cores)))
        self.parallelism = parallelism
        self.flopsPerIteration = rest + (chosen == .dual ? dualFirstLayer : directFirstLayer)
    }

    /// The most threads a plan takes: four per core, and at least 8.
    public static func maximumThreads(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        max(8, 4 * cores)
    }

    private static func gigabytes(_ bytes: Double) -> String { String(format: "%.1f GB", bytes / 1e9) }
}
