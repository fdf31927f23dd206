// Forward propagation, built up as the course builds it: the linear step, the linear step with
// its activation, and the whole [LINEAR → RELU]×(L−1) → LINEAR → SIGMOID model (or any network).

/// The linear part of a layer: Z = W·A + b (b broadcast across the m columns).
///
/// Shapes: A is n[l-1]×m, W is n[l]×n[l-1], b is n[l]×1; Z is n[l]×m. The cache is (A, W, b).
public func linearForward(_ A: Matrix, _ W: Matrix, _ b: Matrix) -> (Z: Matrix, cache: LinearCache) {
    let product = Matrix.product(W, A, function: "linearForward")
    requireValid(
        (b.rows == product.rows || b.rows == 1) && b.cols == 1,
        "linearForward: b of shape \(b.shapeDescription) cannot be added to W·A of shape "
            + "\(product.shapeDescription); b must be (\(W.rows),1)")
    return (product + b, LinearCache(A: A, W: W, b: b))
}

/// One layer: Z = W·A_prev + b, then A = g(Z) with g the layer's activation (the course's relu
/// or sigmoid, or any other `Activation`).
///
/// Shapes: A_prev is n[l-1]×m, W is n[l]×n[l-1], b is n[l]×1; A is n[l]×m. The cache holds the
/// linear cache and Z.
public func linearActivationForward(
    _ APrev: Matrix, _ W: Matrix, _ b: Matrix, activation: Activation
) -> (A: Matrix, cache: LayerCache) {
    let (Z, linearCache) = linearForward(APrev, W, b)
    return (activation(Z), LayerCache(linear: linearCache, activation: Z))
}

/// The whole forward pass: [LINEAR → RELU] for layers 1…L−1, then LINEAR → SIGMOID for layer L,
/// as the course; or, given `activations` and `head`, any network: LINEAR → activations[l−1] for
/// the hidden layers, then LINEAR → the head's output (sigmoid or softmax).
///
/// A layer whose parameters hold batch normalisation's numbers is batch-normalised in training
/// form (`batchNormForward`, ε from `normalizations`, 1e-5 by default).
///
/// Shapes: X is n[0]×m; AL, the output probabilities, is n[L]×m (1×m for a binary classifier).
/// Returns one cache per layer, layer 1 first.
public func lModelForward(
    _ X: Matrix, _ parameters: Parameters, activations: [Activation]? = nil, head: OutputHead = .sigmoid,
    normalizations: [BatchNormalization?] = []
) -> (AL: Matrix, caches: [LayerCache]) {
    let L = parameters.layerCount
    let hidden = activations ?? Array(repeating: .relu, count: L - 1)
    requireValid(
        hidden.count == L - 1, "lModelForward: \(hidden.count) activations for \(L - 1) hidden layers")
    var A = X
    var caches = [LayerCache]()
    for l in 1..<L {
        if let numbers = parameters.layers[l - 1].normalization {
            // Batch-normalised: Z = W·A (b is 0), Y = γ ⊙ Ẑ + β with the batch's statistics, A = g(Y).
            let (Z, linearCache) = linearForward(A, parameters.W(l), parameters.b(l))
            let epsilon = l - 1 < normalizations.count ? normalizations[l - 1]?.epsilon ?? 1e-5 : 1e-5
            let (Y, normalization) = batchNormForward(Z, gamma: numbers.gamma, beta: numbers.beta, epsilon: epsilon)
            A = hidden[l - 1](Y)
            caches.append(LayerCache(linear: linearCache, activation: Y, normalization: normalization))
            continue
        }
        let (next, cache) = linearActivationForward(A, parameters.W(l), parameters.b(l), activation: hidden[l - 1])
        A = next
        caches.append(cache)
    }
    let (Z, linearCache) = linearForward(A, parameters.W(L), parameters.b(L))
    caches.append(LayerCache(linear: linearCache, activation: Z))
    return (head.function.output(Z), caches)
}
