/// What `linearForward` keeps for the backward pass: the course's `linear_cache = (A, W, b)`.
///
/// Shapes: A is n[l-1]×m (the layer's input), W is n[l]×n[l-1], b is n[l]×1.
public struct LinearCache: Equatable, Sendable {
    public var A: Matrix
    public var W: Matrix
    public var b: Matrix

    public init(A: Matrix, W: Matrix, b: Matrix) {
        self.A = A
        self.W = W
        self.b = b
    }
}

/// What `linearActivationForward` keeps: the course's `cache = (linear_cache, activation_cache)`,
/// where the activation cache is the pre-activation Z (n[l]×m).
public struct LayerCache: Equatable, Sendable {
    public var linear: LinearCache
    /// Z, the layer's pre-activation.
    public var activation: Matrix

    public init(linear: LinearCache, activation: Matrix) {
        self.linear = linear
        self.activation = activation
    }
}
