import DNN
import Testing

/// Section B of the reference values: the test cases of course versions 3, 4, 4a and the latest
/// public tests, whose inputs are drawn from numpy's seeded generator.
@Suite("Reference B: seeded test cases")
struct ReferenceSeededCaseTests {
    @Test("B1 linear_forward")
    func b1() {
        var rng = NumPyRandom(seed: 1)
        let (A, W, b) = (rng.randn(3, 2), rng.randn(1, 3), rng.randn(1, 1))
        let (Z, cache) = linearForward(A, W, b)
        expectReference(Z, "B1", "Z")
        #expect(cache == LinearCache(A: A, W: W, b: b))
    }

    @Test("B2 linear_activation_forward")
    func b2() {
        var rng = NumPyRandom(seed: 2)
        let (APrev, W, b) = (rng.randn(3, 2), rng.randn(1, 3), rng.randn(1, 1))
        let (ASigmoid, sigmoidCache) = linearActivationForward(APrev, W, b, activation: .sigmoid)
        let (ARelu, reluCache) = linearActivationForward(APrev, W, b, activation: .relu)
        expectReference(ASigmoid, "B2", "A (sigmoid)")
        expectReference(ARelu, "B2", "A (relu)")
        expectReference(sigmoidCache.activation, "B2", "Z (cached)")
        #expect(reluCache.activation == sigmoidCache.activation)
    }

    @Test("B3 L_model_forward, three layers")
    func b3() {
        var rng = NumPyRandom(seed: 6)
        let X = rng.randn(5, 4)
        let parameters = Parameters(
            layers: [(4, 5), (3, 4), (1, 3)].map { rows, cols in
                LayerParameters(W: rng.randn(rows, cols), b: rng.randn(rows, 1))
            })
        let (AL, caches) = lModelForward(X, parameters)
        expectReference(AL, "B3", "AL")
        #expect(caches.count == 3)  // "number of caches = 3"
        for l in 1...3 {
            expectReference(caches[l - 1].activation, "B3", "Z\(l) (cached in layer \(l))")
        }
    }

    @Test("B3' L_model_forward, two layers (version 4)")
    func b3Prime() {
        var rng = NumPyRandom(seed: 1)
        let X = rng.randn(4, 2)
        let parameters = Parameters(
            layers: [(3, 4), (1, 3)].map { rows, cols in
                LayerParameters(W: rng.randn(rows, cols), b: rng.randn(rows, 1))
            })
        expectReference(lModelForward(X, parameters).AL, "B3'", "AL")
    }

    @Test("B4 compute_cost")
    func b4() {
        let cost = computeCost(Matrix([[0.8, 0.9, 0.4]]), Matrix([[1, 1, 0]]))
        expectReferenceNumber(cost, "B4", "cost")
    }

    @Test("B5 linear_backward")
    func b5() {
        var rng = NumPyRandom(seed: 1)
        let dZ = rng.randn(3, 4)
        let cache = LinearCache(A: rng.randn(5, 4), W: rng.randn(3, 5), b: rng.randn(3, 1))
        let (dAPrev, dW, db) = linearBackward(dZ, cache)
        expectReference(dAPrev, "B5", "dA_prev")
        expectReference(dW, "B5", "dW")
        expectReference(db, "B5", "db")
    }

    @Test("B5' linear_backward (version 3)")
    func b5Prime() {
        var rng = NumPyRandom(seed: 1)
        let dZ = rng.randn(1, 2)
        let cache = LinearCache(A: rng.randn(3, 2), W: rng.randn(1, 3), b: rng.randn(1, 1))
        let (dAPrev, dW, db) = linearBackward(dZ, cache)
        expectReference(dAPrev, "B5'", "dA_prev")
        expectReference(dW, "B5'", "dW")
        expectReference(db, "B5'", "db")
    }

    @Test("B6 linear_activation_backward")
    func b6() {
        var rng = NumPyRandom(seed: 2)
        let dA = rng.randn(1, 2)
        let linear = LinearCache(A: rng.randn(3, 2), W: rng.randn(1, 3), b: rng.randn(1, 1))
        let cache = LayerCache(linear: linear, activation: rng.randn(1, 2))
        for activation in [Activation.relu, .sigmoid] {
            let (dAPrev, dW, db) = linearActivationBackward(dA, cache, activation: activation)
            expectReference(dAPrev, "B6", "dA_prev (\(activation))")
            expectReference(dW, "B6", "dW (\(activation))")
            expectReference(db, "B6", "db (\(activation))")
        }
    }

    @Test("B7 L_model_backward")
    func b7() {
        var rng = NumPyRandom(seed: 3)
        let AL = rng.randn(1, 2)
        let Y = Matrix([[1, 0]])
        let layer1 = LayerCache(
            linear: LinearCache(A: rng.randn(4, 2), W: rng.randn(3, 4), b: rng.randn(3, 1)),
            activation: rng.randn(3, 2))
        let layer2 = LayerCache(
            linear: LinearCache(A: rng.randn(3, 2), W: rng.randn(1, 3), b: rng.randn(1, 1)),
            activation: rng.randn(1, 2))
        let grads = lModelBackward(AL, Y, [layer1, layer2])
        expectReference(grads["dA0"]!, "B7", "dA0")
        expectReference(grads["dA1"]!, "B7", "dA1")
        expectReference(grads["dW1"]!, "B7", "dW1")
        expectReference(grads["db1"]!, "B7", "db1")
        expectReference(grads.dW(2), "B7", "dW2")
        expectReference(grads.db(2), "B7", "db2")
    }

    @Test("B8 update_parameters, learning rate 0.1")
    func b8() {
        var rng = NumPyRandom(seed: 2)
        let parameters = Parameters(
            layers: [(3, 4), (1, 3)].map { rows, cols in
                LayerParameters(W: rng.randn(rows, cols), b: rng.randn(rows, 1))
            })
        rng.seed(3)
        let grads = Gradients(
            layers: [(3, 4), (1, 3)].map { rows, cols in
                LayerGradients(dW: rng.randn(rows, cols), db: rng.randn(rows, 1))
            })
        let before = parameters
        let updated = updateParameters(parameters, grads, learningRate: 0.1)
        for key in ["W1", "b1", "W2", "b2"] {
            expectReference(updated[key]!, "B8", key)
        }
        #expect(parameters == before, "update_parameters leaves its input unchanged")
        #expect(updated != before)
    }
}
