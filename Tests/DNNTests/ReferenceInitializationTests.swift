import DNN
import Testing

/// Section A of the reference values: the generator's first draws and the course's initialisers.
@Suite("Reference A: initialisation and numpy's generator")
struct ReferenceInitializationTests {
    @Test("A: first draws, seed 1: randn(5) then rand(3)")
    func firstDraws() {
        var rng = NumPyRandom(seed: 1)
        expectReference(rng.randn(1, 5), "First draws of the generator", "randn")
        expectReference(rng.rand(1, 3), "First draws of the generator", "rand")
    }

    @Test("A: initialize_parameters(3, 2, 1)")
    func twoLayer() {
        let parameters = initializeParameters(nX: 3, nH: 2, nY: 1)
        expectReference(parameters.W(1), "initialize_parameters(3, 2, 1)", "W1")
        expectReference(parameters["W2"]!, "initialize_parameters(3, 2, 1)", "W2")
        #expect(parameters.b(1) == .zeros(2, 1))
        #expect(parameters.b(2) == .zeros(1, 1))
    }

    @Test("A: initialize_parameters_deep([5,4,3])")
    func deep() {
        let parameters = initializeParametersDeep([5, 4, 3])
        #expect(parameters.layerCount == 2)
        expectReference(parameters["W1"]!, "initialize_parameters_deep([5,4,3])", "W1")
        expectReference(parameters["W2"]!, "initialize_parameters_deep([5,4,3])", "W2")
        #expect(parameters["b1"] == .zeros(4, 1))
        #expect(parameters["b2"] == .zeros(3, 1))
        #expect(parameters["W3"] == nil)
    }
}
