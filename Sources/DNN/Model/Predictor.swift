/// Prediction on the training engine's layer loop: the model's parameters in a precision, the
/// examples run through the layers a block at a time on buffers allocated once, so that nothing is
/// allocated per block and a wide output (100,000 classes) holds one block of probabilities.
///
/// The same `LayerLoop` trains; here it runs forward only, with the head's output and no dropout.
/// The course's step functions (`lModelForward`) stay the readable reference it is held to.
final class Predictor<Scalar: EngineScalar> {
    let loop: LayerLoop<Scalar>
    /// One block of examples, in the engine's precision, laid out as the features are stored.
    private let input: UnsafeMutableBufferPointer<Scalar>
    private let standardization: Standardization?

    /// The most examples in a block: up to 4096, fewer for wide layers, so that a block's widest
    /// output stays within 64 MB.
    static func blockSize(layerSizes: [Int]) -> Int {
        max(1, min(4096, (64 << 20) / (MemoryLayout<Scalar>.size * layerSizes.max()!)))
    }

    init(model: DeepNeuralNetwork) {
        let capacity = Self.blockSize(layerSizes: model.layerSizes)
        let workspace = EngineWorkspace<Scalar>(
            parameters: model.parameters, capacity: capacity, normalizations: model.network.normalizations)
        loop = LayerLoop(
            workspace: workspace, activations: model.network.activations.map(\.function),
            head: model.network.head.function,
            first: DirectFirstLayer(workspace: workspace, reason: "prediction"),
            dropout: DropoutMasks(hiddenUnits: [], batchCapacity: 0, keepProb: 1, seeding: .fresh, seed: 1))
        input = .allocate(capacity: capacity * model.layerSizes[0])
        standardization = model.standardization
    }

    deinit { input.deallocate() }

    /// Runs every block of X's examples through the layers and hands `body` the block's range and
    /// its output A[L] (units×width, row stride width).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forEachBlock(_ X: FeatureMatrix, _ body: (Range<Int>, UnsafeMutablePointer<Scalar>) -> Void) {
        let workspace = loop.workspace, n0 = workspace.sizes[0], exampleMajor = X.isExampleMajor
        for start in stride(from: 0, to: X.examples, by: workspace.capacity) {
            let block = start..<min(start + workspace.capacity, X.examples)
            X.write(examples: block, into: input.baseAddress!, standardization: standardization)
            let view = BatchView(
                input: input.baseAddress!, inputStride: exampleMajor ? n0 : block.count, exampleMajor: exampleMajor,
                targets: input.baseAddress!, targetStride: 0, width: block.count, gradientExamples: block.count,
                weights: nil, gradientWeight: Double(block.count),
                columns: 0..<block.count, examples: nil)
            _ = loop.forward(view, part: 0..<block.count, withTargets: false)
            body(block, workspace.A[workspace.layerCount - 1].baseAddress!)
        }
    }

    /// A[L] for every example of X (units×m), widened to Double.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func outputs(_ X: FeatureMatrix) -> Matrix {
        let units = loop.workspace.sizes.last!, m = X.examples
        var scalars = [Double](repeating: 0, count: units * m)
        scalars.withUnsafeMutableBufferPointer { result in
            forEachBlock(X) { block, output in
                for k in 0..<units {
                    for j in 0..<block.count {
                        result[k * m + block.lowerBound + j] = Double(output[k * block.count + j])
                    }
                }
            }
        }
        return Matrix(rows: units, cols: m, scalars: scalars)
    }

    /// The predicted class of every example, with no more than a block of outputs held: for one
    /// sigmoid unit, 1 where the probability is above `threshold`; otherwise the most probable
    /// (the first of equals). nil when an output is NaN.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func classes(_ X: FeatureMatrix, threshold: Double) -> [Int]? {
        let units = loop.workspace.sizes.last!
        var classes = [Int](repeating: 0, count: X.examples), finite = true
        forEachBlock(X) { block, output in
            let width = block.count
            for j in 0..<width {
                var best = 0
                for k in 0..<units {
                    let value = output[k * width + j]
                    if value.isNaN { finite = false }
                    if k > 0 && value > output[best * width + j] { best = k }
                }
                classes[block.lowerBound + j] = units == 1 ? (Double(output[j]) > threshold ? 1 : 0) : best
            }
        }
        return finite ? classes : nil
    }
}
