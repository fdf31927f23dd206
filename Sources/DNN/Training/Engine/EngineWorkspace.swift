/// The buffers a network's passes run on, allocated once: per layer l = 1…L (index l − 1) the
/// parameters W[l] (n[l]×n[l−1]) and b[l] (n[l]×1), their gradients dW[l] and db[l], and, for a
/// batch of up to `capacity` examples, the activations A[l] and the gradients dZ[l] (n[l]×batch,
/// row stride the batch's width), with batch normalisation's buffers for the layers that have it.
/// Nothing is allocated per pass.
///
/// Training and prediction share it; what runs on it is the layer loop (`LayerLoop`) and, for
/// training, the strategy that arranges the work (`BatchExecution`, `FirstLayerPath`).
final class EngineWorkspace<Scalar: EngineScalar> {
    /// n[0], …, n[L].
    let sizes: [Int]
    /// The most examples a batch holds.
    let capacity: Int
    let W, b, dW, db, A, dZ: [UnsafeMutableBufferPointer<Scalar>]
    /// `capacity` ones: the bias gradients are dZ·1, a matrix-vector product.
    let ones: UnsafeMutableBufferPointer<Scalar>
    /// γ, β, the running averages and the batch's statistics of batch-normalised layers.
    let normalization: BatchNormLayers<Scalar>

    /// Copies `parameters` into this precision, for batches of up to `capacity` examples, with
    /// `normalizations` the hidden layers' batch normalisation (none by default).
    init(parameters: Parameters, capacity: Int, normalizations: [BatchNormalization?] = []) {
        sizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        self.capacity = capacity
        W = parameters.layers.map { .allocate(copying: $0.W.scalars) }
        b = parameters.layers.map { .allocate(copying: $0.b.scalars) }
        dW = parameters.layers.map { .allocateZeroed($0.W.scalars.count) }
        db = parameters.layers.map { .allocateZeroed($0.b.scalars.count) }
        A = sizes.dropFirst().map { .allocateZeroed($0 * capacity) }
        dZ = sizes.dropFirst().map { .allocateZeroed($0 * capacity) }
        ones = .allocate(capacity: capacity)
        ones.initialize(repeating: 1)
        normalization = BatchNormLayers(parameters: parameters, settings: normalizations, capacity: capacity)
    }

    deinit {
        for buffer in W + b + dW + db + A + dZ + [ones] { buffer.deallocate() }
    }

    /// L, the layers with parameters.
    var layerCount: Int { sizes.count - 1 }

    /// The parameters widened to Double, with `firstW` standing for W[1] (the dual path forms it).
    func parameters(firstW: UnsafeMutableBufferPointer<Scalar>? = nil) -> Parameters {
        Parameters(
            layers: (0..<layerCount).map { index in
                let weights = index == 0 ? firstW ?? W[0] : W[index]
                return LayerParameters(
                    W: Matrix(rows: sizes[index + 1], cols: sizes[index], scalars: weights.map { Double($0) }),
                    b: Matrix(rows: sizes[index + 1], cols: 1, scalars: b[index].map { Double($0) }),
                    normalization: normalization.parameters(index))
            })
    }

    /// Σ‖W[l]‖² over the layers at `indices`, added to `squares` (what the layers before gave),
    /// entry by entry in the order the course sums them.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func squaredWeights(_ indices: Range<Int>, adding squares: Double = 0) -> Double {
        var total = squares
        for index in indices {
            for k in 0..<W[index].count { total += Double(W[index][k] * W[index][k]) }
        }
        return total
    }
}

extension UnsafeMutableBufferPointer where Element: BinaryFloatingPoint {
    /// A new buffer of `count` zeros.
    static func allocateZeroed(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: count)
        buffer.initialize(repeating: 0)
        return buffer
    }

    /// A new buffer holding `values`, converted.
    static func allocate(copying values: [Double]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: values.count)
        _ = buffer.initialize(from: values.lazy.map { Element($0) })
        return buffer
    }
}
