import DNN
import Testing

/// Programming errors stop the process with a message naming the function and the shapes (never
/// a wrong answer, never a crash inside BLAS). Each case runs in a child process (an exit test)
/// and its standard error is read.
@Suite("Misuse stops with a message naming the function and the shapes")
struct MisuseTests {
    /// Checks that the child process's standard error holds `expected`.
    static func expectMessage(
        _ result: ExitTest.Result?, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let stderr = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(stderr.contains(expected), "stderr was: \(stderr)", sourceLocation: sourceLocation)
    }

    @Test("linearForward: W·A not aligned")
    func linearForwardShapes() async {
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = linearForward(.zeros(4, 2), .zeros(1, 3), .zeros(1, 1))
            },
            "linearForward: shapes (1,3) and (4,2) not aligned: 3 (dim 1) != 4 (dim 0)")
    }

    @Test("linearForward: a bias of the wrong shape")
    func linearForwardBias() async {
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = linearForward(.zeros(3, 2), .zeros(1, 3), .zeros(2, 1))
            },
            "linearForward: b of shape (2,1) cannot be added to W·A of shape (1,2)")
    }

    @Test("lModelForward: X with the wrong number of features")
    func modelForward() async {
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = lModelForward(.zeros(3, 2), initializeParametersDeep([5, 4, 1]))
            },
            "linearForward: shapes (4,5) and (3,2) not aligned")
    }

    @Test("computeCost: AL and Y of different shapes")
    func cost() async {
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = computeCost(.zeros(1, 3), .zeros(1, 4))
            },
            "computeCost: shapes (1,3) and (1,4) differ")
    }

    @Test("linearBackward: dZ that does not match the cache")
    func linearBackwardShapes() async {
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = linearBackward(.zeros(2, 4), LinearCache(A: .zeros(5, 4), W: .zeros(3, 5), b: .zeros(3, 1)))
            },
            "linearBackward: dZ of shape (2,4) does not match W (3,5) and A_prev (5,4)")
    }

    @Test("sigmoidBackward and reluBackward: dA and Z of different shapes")
    func activationBackward() async {
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = sigmoidBackward(.zeros(1, 2), .zeros(2, 1))
            },
            "sigmoidBackward: shapes (1,2) and (2,1) differ")
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = reluBackward(.zeros(3, 2), .zeros(3, 3))
            },
            "reluBackward: shapes (3,2) and (3,3) differ")
    }

    @Test("updateParameters: a gradient that does not fit its parameter")
    func update() async {
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                let parameters = Parameters(layers: [LayerParameters(W: .zeros(1, 2), b: .zeros(1, 1))])
                let grads = Gradients(layers: [LayerGradients(dW: .zeros(2, 2), db: .zeros(1, 1))])
                _ = updateParameters(parameters, grads, learningRate: 0.1)
            },
            "updateParameters: dW1 of shape (2,2) does not fit its parameter of shape (1,2)")
    }

    @Test("elementwise operators: shapes that do not broadcast")
    func broadcast() async {
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = Matrix.zeros(2, 3) + Matrix.zeros(3, 2)
            },
            "+: operands could not be broadcast together with shapes (2,3) (3,2)")
    }

    @Test("empty matrices and bad sizes")
    func sizes() async {
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = Matrix([[]])
            },
            "Matrix: cannot build a matrix from no rows or empty rows")
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = Matrix.zeros(0, 3)
            },
            "Matrix: shape (0,3) is empty or negative")
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = Matrix([[1, 2], [3]])
            },
            "Matrix: row 1 has 1 elements, row 0 has 2")
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = initializeParametersDeep([5])
            },
            "initializeParametersDeep: layer_dims [5] needs at least two sizes")
        Self.expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = initializeParametersDeep([5, 0, 1])
            },
            "initializeParametersDeep: layer_dims [5, 0, 1] has a size that is not positive")
    }
}
