import DNN
import Testing

/// `lModelBackward` against centred finite differences of `computeCost`, on random small networks.
@Suite("Gradient check: backprop against finite differences")
struct GradientCheckTests {
    /// The course's measure: ‖g − g̃‖ / (‖g‖ + ‖g̃‖).
    func relativeDifference(_ g: [Double], _ approx: [Double]) -> Double {
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        return norm(zip(g, approx).map(-)) / (norm(g) + norm(approx))
    }

    static let networks: [(dims: [Int], m: Int, seed: UInt32)] = [
        ([3, 1], 4, 1), ([4, 3, 1], 5, 2), ([5, 4, 3, 1], 6, 3), ([2, 8, 8, 8, 1], 7, 4), ([6, 2, 5, 1], 3, 5),
    ]

    @Test("all dW, db, and dA0, agree to 1e-7 relative", arguments: 0..<networks.count)
    func agrees(index: Int) {
        let (dims, m, seed) = Self.networks[index]
        var rng = NumPyRandom(seed: seed)
        // Weights scaled by 1/√n[l-1] (the course's L-layer scheme) keep the output away from
        // saturation, where log(1 − AL) would lose its digits in both computations; random
        // biases keep units away from their kinks, so the cost is smooth where it is differenced.
        let parameters = Parameters(
            layers: (1..<dims.count).map { l in
                LayerParameters(
                    W: rng.randn(dims[l], dims[l - 1]) / Double(dims[l - 1]).squareRoot(),
                    b: rng.randn(dims[l], 1) * 0.1)
            })
        let X = rng.randn(dims[0], m)
        let Y = rng.rand(1, m).map { $0 < 0.5 ? 0 : 1 }
        func cost(_ p: Parameters, _ x: Matrix) -> Double { computeCost(lModelForward(x, p).AL, Y) }
        let (AL, caches) = lModelForward(X, parameters)
        let grads = lModelBackward(AL, Y, caches)

        // ε = 1e-6: truncation error O(ε²) ≈ 1e-12 and rounding O(1e-16/ε) ≈ 1e-10, both far
        // below the 1e-7 being tested.
        let epsilon = 1e-6
        func centred(_ perturb: (inout Parameters, inout Matrix, Double) -> Void) -> Double {
            var (pPlus, xPlus, pMinus, xMinus) = (parameters, X, parameters, X)
            perturb(&pPlus, &xPlus, epsilon)
            perturb(&pMinus, &xMinus, -epsilon)
            return (cost(pPlus, xPlus) - cost(pMinus, xMinus)) / (2 * epsilon)
        }
        // As the course's gradient_check_n: all parameters flattened into one vector (W1, b1, W2, …)
        // and one relative difference, which stays meaningful when one gradient happens to be tiny.
        var backprop = [Double](), numeric = [Double]()
        for l in 1...parameters.layerCount {
            let W = parameters.W(l), b = parameters.b(l)
            backprop += grads.dW(l).scalars + grads.db(l).scalars
            numeric += (0..<W.rows * W.cols).map { k in
                centred { p, _, e in p.layers[l - 1].W[k / W.cols, k % W.cols] += e }
            }
            numeric += (0..<b.rows).map { k in centred { p, _, e in p.layers[l - 1].b[k, 0] += e } }
        }
        #expect(relativeDifference(backprop, numeric) < 1e-7, "parameters of \(dims)")
        let dA0 = (0..<X.rows * X.cols).map { k in centred { _, x, e in x[k / X.cols, k % X.cols] += e } }
        // The course's dA is the gradient of the summed loss m·J (1/m enters only at dW and db).
        let dA0OfCost = grads.dA(0)!.scalars.map { $0 / Double(m) }
        #expect(relativeDifference(dA0OfCost, dA0) < 1e-7, "dA0 of \(dims)")
    }
}
