/// One step of gradient descent: W[l] ← W[l] − α·dW[l] and b[l] ← b[l] − α·db[l] for every layer
/// (and γ[l] ← γ[l] − α·dγ[l], β[l] ← β[l] − α·dβ[l] on a batch-normalised one).
///
/// A gradient broadcasts to its parameter's shape as in numpy (a 1×1 db updates every unit).
/// Returns new parameters; the ones passed in are left unchanged, as the latest course version
/// copies them first.
public func updateParameters(_ parameters: Parameters, _ grads: Gradients, learningRate: Double) -> Parameters {
    requireValid(
        parameters.layerCount == grads.layers.count,
        "updateParameters: \(parameters.layerCount) layers of parameters but \(grads.layers.count) of gradients")
    func step(_ p: Matrix, _ g: Matrix, _ name: String) -> Matrix {
        let updated = p - learningRate * g
        requireValid(
            updated.hasSameShape(as: p),
            "updateParameters: \(name) of shape \(g.shapeDescription) does not fit its parameter "
                + "of shape \(p.shapeDescription)")
        return updated
    }
    return Parameters(
        layers: zip(parameters.layers, grads.layers).enumerated().map { i, pair in
            let (p, g) = pair
            var layer = LayerParameters(
                W: step(p.W, g.dW, "dW\(i + 1)"), b: step(p.b, g.db, "db\(i + 1)"), normalization: p.normalization)
            if var numbers = p.normalization, let dGamma = g.dGamma, let dBeta = g.dBeta {
                numbers.gamma = step(numbers.gamma, dGamma, "dGamma\(i + 1)")
                numbers.beta = step(numbers.beta, dBeta, "dBeta\(i + 1)")
                layer.normalization = numbers
            }
            return layer
        })
}
