/// What `linearForward` keeps for the backward pass: the course's `linear_cache = (A, W, b)`.
///
/// Shapes: A is n[l-1]×m (the layer's input), W is n[l]×n[l-1], b is n[l]×1.
public struct LinearCache: Equatable, Sendable {
    /// A[l-1], the layer's input (n[l-1]×m).
    public var A: Matrix
    /// W[l], the layer's weights (n[l]×n[l-1]).
    public var W: Matrix
    /// b[l], the layer's bias (n[l]×1).
    public var b: Matrix

    /// A cache of the input A (n[l-1]×m), weights W (n[l]×n[l-1]) and bias b (n[l]×1); shapes are not checked.
    public init(A: Matrix, W: Matrix, b: Matrix) {
        self.A = A
        self.W = W
        self.b = b
    }
}

/// What `linearActivationForward` keeps: the course's `cache = (linear_cache, activation_cache)`,
/// where the activation cache is the pre-activation Z (n[l]×m); on a batch-normalised layer, the
/// activation's input Y = γ ⊙ Ẑ + β, and the batch normalisation's own cache.
public struct LayerCache: Equatable, Sendable {
    /// The linear cache (A[l-1], W[l], b[l]).
    public var linear: LinearCache
    /// Z, the layer's pre-activation (Y on a batch-normalised layer).
    public var activation: Matrix
    /// What `batchNormBackward` needs, on a batch-normalised layer.
    public var normalization: BatchNormCache?

    /// A cache of the linear cache and the pre-activation Z (n[l]×m), with the batch
    /// normalisation's cache on a batch-normalised layer.
    public init(linear: LinearCache, activation: Matrix, normalization: BatchNormCache? = nil) {
        self.linear = linear
        self.activation = activation
        self.normalization = normalization
    }
}
