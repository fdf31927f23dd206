/// Parameters of a two-layer network LINEAR → RELU → LINEAR → SIGMOID, as the course initialises
/// them: W1 = randn(n_h, n_x)·0.01, b1 = 0, W2 = randn(n_y, n_h)·0.01, b2 = 0, drawn in that order.
///
/// Shapes: W1 n_h×n_x, b1 n_h×1, W2 n_y×n_h, b2 n_y×1.
public func initializeParameters(nX: Int, nH: Int, nY: Int, using rng: inout NumPyRandom) -> Parameters {
    initializeParametersDeep([nX, nH, nY], using: &rng)
}

/// `initialize_parameters(n_x, n_h, n_y)` exactly as the course runs it: seeded with 1 first.
public func initializeParameters(nX: Int, nH: Int, nY: Int) -> Parameters {
    var rng = NumPyRandom(seed: 1)
    return initializeParameters(nX: nX, nH: nH, nY: nY, using: &rng)
}

/// Parameters of an L-layer network with sizes `layerDims` = [n[0], n[1], …, n[L]], as the step-by-step
/// notebook initialises them: for l = 1…L in order, W[l] = randn(n[l], n[l-1])·0.01 and b[l] = 0.
///
/// Shapes: W[l] n[l]×n[l-1], b[l] n[l]×1.
public func initializeParametersDeep(_ layerDims: [Int], using rng: inout NumPyRandom) -> Parameters {
    requireValid(
        layerDims.count >= 2,
        "initializeParametersDeep: layer_dims \(layerDims) needs at least two sizes (input and output)")
    requireValid(
        layerDims.allSatisfy { $0 > 0 },
        "initializeParametersDeep: layer_dims \(layerDims) has a size that is not positive")
    return Parameters(
        layers: (1..<layerDims.count).map { l in
            LayerParameters(
                W: rng.randn(layerDims[l], layerDims[l - 1]) * 0.01,
                b: .zeros(layerDims[l], 1))
        })
}

/// `initialize_parameters_deep(layer_dims)` exactly as the course runs it: seeded with 3 first.
public func initializeParametersDeep(_ layerDims: [Int]) -> Parameters {
    var rng = NumPyRandom(seed: 3)
    return initializeParametersDeep(layerDims, using: &rng)
}
