// The course's activations and their derivatives, side by side (the course's dnn_utils), as
// functions of matrices. Each is the matching `Activation` applied to a whole matrix, so the
// step-by-step functions and the engine share one definition of every formula.

/// The logistic function, elementwise: A = 1 / (1 + e^(−Z)). The cache is Z.
///
/// Shapes: Z and A are n×m.
public func sigmoid(_ Z: Matrix) -> (A: Matrix, cache: Matrix) {
    (Activation.sigmoid(Z), Z)
}

/// The gradient through the sigmoid: with s = 1 / (1 + e^(−Z)), dZ = dA · s · (1 − s).
///
/// Shapes: dA, Z (the cache) and dZ are n×m.
public func sigmoidBackward(_ dA: Matrix, _ cache: Matrix) -> Matrix {
    requireSameShape(dA, cache, function: "sigmoidBackward")
    return Activation.sigmoid.backward(dA, cache)
}

/// The rectified linear unit, elementwise: A = max(0, Z) (NaN stays NaN). The cache is Z.
///
/// Shapes: Z and A are n×m.
public func relu(_ Z: Matrix) -> (A: Matrix, cache: Matrix) {
    (Activation.relu(Z), Z)
}

/// The gradient through the ReLU: dZ = dA where Z > 0, and 0 where Z ≤ 0 (zero at Z = 0 exactly).
///
/// Shapes: dA, Z (the cache) and dZ are n×m.
public func reluBackward(_ dA: Matrix, _ cache: Matrix) -> Matrix {
    requireSameShape(dA, cache, function: "reluBackward")
    return Activation.relu.backward(dA, cache)
}

/// Stops with a message naming `function` when the two matrices differ in shape.
func requireSameShape(_ a: Matrix, _ b: Matrix, function: String) {
    requireValid(
        a.hasSameShape(as: b),
        "\(function): shapes \(a.shapeDescription) and \(b.shapeDescription) differ; they must be equal")
}
