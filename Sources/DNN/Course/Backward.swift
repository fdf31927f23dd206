// Backward propagation, in the course's order: the linear step, the linear step with its
// activation, and the whole model.

/// The linear part of a layer's backward pass, from dZ = ∂J/∂Z:
/// dW = (1/m)·dZ·A_prevᵀ, db = (1/m)·Σ_columns dZ, dA_prev = Wᵀ·dZ.
///
/// Shapes: dZ is n[l]×m; the cache holds A_prev (n[l-1]×m), W (n[l]×n[l-1]) and b (n[l]×1).
/// dA_prev has A_prev's shape, dW W's shape, db b's shape.
public func linearBackward(_ dZ: Matrix, _ cache: LinearCache) -> (dAPrev: Matrix, dW: Matrix, db: Matrix) {
    let (APrev, W) = (cache.A, cache.W)
    requireValid(
        dZ.rows == W.rows && dZ.cols == APrev.cols,
        "linearBackward: dZ of shape \(dZ.shapeDescription) does not match W \(W.shapeDescription) "
            + "and A_prev \(APrev.shapeDescription); it must be (\(W.rows),\(APrev.cols))")
    let scale = 1.0 / Double(APrev.cols)
    let dW = scale * Matrix.product(dZ, APrev, transposingB: true, function: "linearBackward")
    let db = scale * dZ.sum(axis: 1)
    let dAPrev = Matrix.product(W, dZ, transposingA: true, function: "linearBackward")
    return (dAPrev, dW, db)
}

/// One layer's backward pass: dZ = dA ⊙ g′(Z) for the layer's activation g, then `linearBackward`.
///
/// Shapes: dA is n[l]×m; the results have the shapes of A_prev, W and b.
public func linearActivationBackward(
    _ dA: Matrix, _ cache: LayerCache, activation: Activation
) -> (dAPrev: Matrix, dW: Matrix, db: Matrix) {
    requireSameShape(dA, cache.activation, function: "linearActivationBackward")
    return linearBackward(activation.backward(dA, cache.activation), cache.linear)
}

/// The whole backward pass, from the output back to layer 1.
///
/// For the course's network (the defaults) it starts from dAL = −(Y / AL − (1 − Y) / (1 − AL)),
/// elementwise and with AL used as given, goes back through the sigmoid layer L, then through the
/// ReLU layers L−1…1. Given `activations` and `head`, dZ[L] is the head's (for softmax,
/// AL − onehot(Y); for the squared error, AL − Y) and the hidden layers use their own activations.
///
/// Shapes: AL is n[L]×m and Y 1×m (labels; class indices for softmax), or n[L]×m for regression
/// targets and multi-label labels (the loss's `targetRows`); `caches` holds one cache
/// per layer, layer 1 first. The result holds dW[l] = ∂J/∂W[l] and db[l] = ∂J/∂b[l] for every
/// layer, and dA[l] for l = 0…L−1. As in the course, dA[l] is the gradient of the summed loss m·J
/// (the factor 1/m enters at dW and db only).
public func lModelBackward(
    _ AL: Matrix, _ Y: Matrix, _ caches: [LayerCache], activations: [Activation]? = nil, head: OutputHead = .sigmoid
) -> Gradients {
    requireValid(
        AL.cols == Y.cols && Y.rows == head.function.targetRows(units: AL.rows),
        "lModelBackward: shapes \(AL.shapeDescription) and \(Y.shapeDescription) differ; they must be equal")
    requireValid(!caches.isEmpty, "lModelBackward: no caches; the forward pass keeps one per layer")
    let L = caches.count
    let hidden = activations ?? Array(repeating: .relu, count: L - 1)
    requireValid(
        hidden.count == L - 1, "lModelBackward: \(hidden.count) activations for \(L - 1) hidden layers")
    var layers = [LayerGradients?](repeating: nil, count: L)
    let output = linearBackward(head.function.backward(AL, Y, caches[L - 1].activation), caches[L - 1].linear)
    layers[L - 1] = LayerGradients(dAPrev: output.dAPrev, dW: output.dW, db: output.db)
    var dA = output.dAPrev
    for l in stride(from: L - 1, through: 1, by: -1) {
        if let normalization = caches[l - 1].normalization {
            // dY = dA ⊙ g′(Y), then batch normalisation's backward to dZ, dγ and dβ (the 1/m of
            // the mean cost applied to them as linearBackward applies it to dW); b has none.
            let dY = hidden[l - 1].backward(dA, caches[l - 1].activation)
            let (dZ, dGamma, dBeta) = batchNormBackward(dY, normalization)
            let (dAPrev, dW, db) = linearBackward(dZ, caches[l - 1].linear)
            let scale = 1 / Double(dZ.cols)
            layers[l - 1] = LayerGradients(
                dAPrev: dAPrev, dW: dW, db: .zeros(db.rows, db.cols), dGamma: scale * dGamma, dBeta: scale * dBeta)
            dA = dAPrev
            continue
        }
        let (dAPrev, dW, db) = linearActivationBackward(dA, caches[l - 1], activation: hidden[l - 1])
        layers[l - 1] = LayerGradients(dAPrev: dAPrev, dW: dW, db: db)
        dA = dAPrev
    }
    return Gradients(layers: layers.map { $0! })
}
