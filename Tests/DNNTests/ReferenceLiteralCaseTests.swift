import DNN
import Testing

/// Section C of the reference values: course version 1, whose test cases use literal arrays.
@Suite("Reference C: literal test cases (version 1)")
struct ReferenceLiteralCaseTests {
    static let A = Matrix([[-1.02387576, 1.12397796], [-1.62328545, 0.64667545], [-1.74314104, -0.59664964]])
    static let W = Matrix([[0.74505627, 1.97611078, -1.24412333]])
    static let b = Matrix([[5]])

    @Test("C1 linear_forward")
    func c1() {
        expectReference(linearForward(Self.A, Self.W, Self.b).Z, "C1", "Z")
    }

    @Test("C2 linear_activation_forward")
    func c2() {
        expectReference(linearActivationForward(Self.A, Self.W, Self.b, activation: .sigmoid).A, "C1", "A (sigmoid)")
        expectReference(linearActivationForward(Self.A, Self.W, Self.b, activation: .relu).A, "C1", "A (relu)")
    }

    @Test("C3 L_model_forward")
    func c3() {
        let parameters = Parameters(layers: [
            LayerParameters(
                W: Matrix([[1.62434536, -0.61175641, -0.52817175], [-1.07296862, 0.86540763, -2.3015387]]),
                b: .zeros(2, 1)),
            LayerParameters(W: Matrix([[1.74481176, -0.7612069]]), b: Matrix([[0]])),
        ])
        let (AL, caches) = lModelForward(Self.A, parameters)
        expectReference(AL, "C3", "AL")
        #expect(caches.count == 2)  // "number of caches = 2"
    }

    @Test("C4 compute_cost")
    func c4() {
        expectReferenceNumber(computeCost(Matrix([[0.8, 0.9, 0.4]]), Matrix([[1, 1, 1]])), "C4", "cost")
    }

    @Test("C5 linear_backward")
    func c5() {
        let dZ = Matrix([[3.1980455, 7.85763489]])
        let (dAPrev, dW, db) = linearBackward(dZ, LinearCache(A: Self.A, W: Self.W, b: Self.b))
        expectReference(dAPrev, "C5", "dA_prev")
        expectReference(dW, "C5", "dW")
        expectReference(db, "C5", "db")
    }

    @Test("C6 linear_activation_backward")
    func c6() {
        let dA = Matrix([[3.1980455, 7.85763489]])
        let cache = LayerCache(
            linear: LinearCache(A: Self.A, W: Self.W, b: Self.b), activation: Matrix([[3.1980455, 7.85763489]]))
        for activation in [Activation.relu, .sigmoid] {
            let (dAPrev, dW, db) = linearActivationBackward(dA, cache, activation: activation)
            expectReference(dAPrev, "C6", "dA_prev (\(activation))")
            expectReference(dW, "C6", "dW (\(activation))")
            expectReference(db, "C6", "db (\(activation))")
        }
    }

    @Test("C7 L_model_backward, one sigmoid layer")
    func c7() {
        let AL = Matrix([[0.60298372, 0.87182628]])
        let Y = Matrix([[1, 1]])
        let cache = LayerCache(
            linear: LinearCache(
                A: Matrix([[0.20445225, 0.87811744], [0.02738759, 0.67046751], [0.4173048, 0.55868983]]),
                W: Matrix([[1.78862847, 0.43650985, 0.09649747]]), b: Matrix([[0]])),
            activation: Matrix([[0.41791293, 1.91720367]]))
        let grads = lModelBackward(AL, Y, [cache])
        expectReference(grads["dW1"]!, "C7", "dW1")
        expectReference(grads["db1"]!, "C7", "db1")
        expectReference(grads["dA0"]!, "C7", "dA0 (version 1: dA1)")
    }

    @Test("C8 update_parameters, three layers, scalar db broadcast")
    func c8() {
        let parameters = Parameters(layers: [
            LayerParameters(
                W: Matrix([
                    [1.78862847, 0.43650985, 0.09649747], [-1.8634927, -0.2773882, -0.35475898],
                    [-0.08274148, -0.62700068, -0.04381817], [-0.47721803, -1.31386475, 0.88462238],
                ]),
                b: .zeros(4, 1)),
            LayerParameters(
                W: Matrix([
                    [0.88131804, 1.70957306, 0.05003364, -0.40467741],
                    [-0.54535995, -1.54647732, 0.98236743, -1.10106763],
                    [-1.18504653, -0.2056499, 1.48614836, 0.23671627],
                ]),
                b: .zeros(3, 1)),
            LayerParameters(
                W: Matrix([[-1.02378514, -0.7129932, 0.62524497], [-0.16051336, -0.76883635, -0.23003072]]),
                b: .zeros(2, 1)),
        ])
        let grads = Gradients(layers: [
            LayerGradients(
                dW: Matrix([[0.63070583, 0.66482653, 0.18308507], [0, 0, 0], [0, 0, 0], [0, 0, 0]]),
                db: Matrix([[0.75937676204411464]])),
            LayerGradients(
                dW: Matrix([[1.62934255, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]),
                db: Matrix([[0.86163759922811056]])),
            LayerGradients(dW: Matrix([[-1.40260776, 0, 0]]), db: Matrix([[-0.84161956022334572]])),
        ])
        let updated = updateParameters(parameters, grads, learningRate: 0.1)
        for key in ["W1", "b1", "W2", "b2", "W3", "b3"] {
            expectReference(updated[key]!, "C8", key)
        }
    }
}
