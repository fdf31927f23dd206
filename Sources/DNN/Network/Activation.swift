import RealModule

/// The mathematics of an activation g, applied elementwise after a layer's linear step.
///
/// A conforming type states two formulas: g(z), and its derivative written through the output,
/// g′ = d(a) with a = g(z). Every activation here has one (relu: a > 0; tanh: 1 − a²; sigmoid:
/// a(1 − a)), so the engine keeps A and never Z. The buffer kernels below have default
/// implementations built from those two formulas; they are requirements so that each conforming
/// type gets its own specialised loop, not a generic one called per element.
///
/// Adding an activation: one file with a type conforming to this protocol and a static member of
/// `Activation` naming it, and one line in `Activation.registry` (the command line and the model
/// file read names from there).
public protocol ActivationFunction: Sendable {
    /// g(z).
    func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T
    /// g′(z), given a = g(z).
    func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T
    /// dz = da·g′(z), given a = g(z), and exactly 0 where g′ is 0 (whatever da holds: not −0, nor
    /// NaN from an infinite da), as the course's relu_backward assigns 0. The default multiplies
    /// by `derivative(output:)`; an activation whose g′ is 0 or 1 states it as one select, which
    /// the compiler vectorises.
    func gradient<T: Real & BinaryFloatingPoint>(_ da: T, output a: T) -> T
    /// Whether g has no derivative at z = 0 (relu's kink), where centred differences do not hold.
    var hasKinkAtZero: Bool { get }
    /// Throws, naming the setting, when a parameter is out of its range.
    func validate() throws
    /// The ONNX operator that computes g (nil: none, the identity), for `onnxModel()`.
    var onnxOperator: ONNXOperator? { get }

    /// A = g(Z + b) in place: `values` is rows×cols, row i starting at `values + i·stride` (a
    /// block of columns of a wider array), `bias` has one entry per row.
    func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int)
    /// The same in float32: A = g(Z + b) in place, rows×cols with row stride `stride`.
    func activate(_ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, cols: Int, stride: Int)
    /// dZ = dA ⊙ g′ in place on `gradient` (dA in, dZ out), g′ read at a = `scale`·A
    /// (`scale` undoes inverted dropout's 1/keep_prob on the kept units; 1 without dropout).
    /// Both are rows×cols with row stride `stride`, as in `activate`.
    func backpropagate(
        _ gradient: UnsafeMutablePointer<Double>, output: UnsafePointer<Double>, scale: Double, rows: Int, cols: Int,
        stride: Int)
    /// The same in float32: dZ = dA ⊙ g′ in place on `gradient`, g′ read at a = `scale`·A.
    func backpropagate(
        _ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, scale: Float, rows: Int, cols: Int,
        stride: Int)
}

extension ActivationFunction {
    /// False by default: g is differentiable at 0.
    public var hasKinkAtZero: Bool { false }
    /// By default nothing to check: the activation has no parameters.
    public func validate() throws {}

    /// By default dz = da·g′ from `derivative(output:)`, and exactly 0 where g′ is 0.
    @inlinable public func gradient<T: Real & BinaryFloatingPoint>(_ da: T, output a: T) -> T {
        let d = derivative(output: a), zero: T = 0
        return d == zero ? zero : da * d
    }

    /// By default A = g(Z + b) row by row through `value(_:)`, a loop the compiler specialises for each type.
    public func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int
    ) {
        activateLoop(values, bias, rows, cols, stride)
    }

    /// By default A = g(Z + b) in float32, row by row through `value(_:)`.
    public func activate(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, cols: Int, stride: Int
    ) {
        activateLoop(values, bias, rows, cols, stride)
    }

    /// By default dZ = dA ⊙ g′ row by row through `gradient(_:output:)`, at a = `scale`·A.
    public func backpropagate(
        _ gradient: UnsafeMutablePointer<Double>, output: UnsafePointer<Double>, scale: Double, rows: Int, cols: Int,
        stride: Int
    ) {
        for i in 0..<rows { backpropagateLoop(gradient + i * stride, output + i * stride, scale, cols) }
    }

    /// By default dZ = dA ⊙ g′ in float32, row by row through `gradient(_:output:)`, at a = `scale`·A.
    public func backpropagate(
        _ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, scale: Float, rows: Int, cols: Int,
        stride: Int
    ) {
        for i in 0..<rows { backpropagateLoop(gradient + i * stride, output + i * stride, scale, cols) }
    }

    @inline(__always)
    func activateLoop<T: Real & BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, _ bias: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ stride: Int
    ) {
        // A row pointer and 0..<cols: the loop form the compiler vectorises.
        for i in 0..<rows {
            let b = bias[i], row = values + i * stride
            for j in 0..<cols { row[j] = value(row[j] + b) }
        }
    }

    @inline(__always)
    func backpropagateLoop<T: Real & BinaryFloatingPoint>(
        _ gradient: UnsafeMutablePointer<T>, _ output: UnsafePointer<T>, _ scale: T, _ count: Int
    ) {
        // Both loads are unconditional, so that a select (relu's) vectorises.
        if scale == 1 {
            for j in 0..<count {
                let a = output[j], da = gradient[j]
                gradient[j] = self.gradient(da, output: a)
            }
        } else {
            for j in 0..<count {
                let a = scale * output[j], da = gradient[j]
                gradient[j] = self.gradient(da, output: a)
            }
        }
    }
}

/// An activation by name: relu, leaky-relu, tanh, sigmoid, identity (see `registry`).
///
/// A value: two activations are equal when their names (with their parameters) are, and the name
/// is what the command line takes and the model file stores, e.g. `tanh` or `leaky-relu(0.2)`.
public struct Activation: Sendable, NamedValue {
    /// The canonical name, with the parameter when there is one: "relu", "leaky-relu(0.01)".
    public let name: String
    /// The formulas.
    public let function: any ActivationFunction

    /// An activation named `name` computed by `function`; the name should be the one `init(parsing:)` reads back.
    public init(name: String, function: any ActivationFunction) {
        self.name = name
        self.function = function
    }

    /// A = g(Z), elementwise.
    public func callAsFunction(_ Z: Matrix) -> Matrix { Z.map { function.value($0) } }

    /// dZ = dA ⊙ g′(Z), with g′ taken at a = g(Z) (and 0 exactly where g′ is 0, as the kernels).
    public func backward(_ dA: Matrix, _ Z: Matrix) -> Matrix {
        Matrix(
            rows: dA.rows, cols: dA.cols,
            scalars: zip(dA.scalars, Z.scalars).map { dA, z in
                let d = function.derivative(output: function.value(z))
                return d == 0 ? 0 : dA * d
            })
    }
}

extension Activation {
    /// Every activation the command line and the model file know, by name, with how to make it
    /// from its optional parameter (`leaky-relu(0.2)`). The one list to extend.
    static let registry: [(name: String, make: @Sendable (Double?) throws -> Activation)] = [
        ("relu", { try noParameter("relu", $0, .relu) }),
        ("leaky-relu", { .leakyReLU(slope: $0 ?? LeakyReLU.defaultSlope) }),
        ("tanh", { try noParameter("tanh", $0, .tanh) }),
        ("sigmoid", { try noParameter("sigmoid", $0, .sigmoid) }),
        ("identity", { try noParameter("identity", $0, .identity) }),
    ]

    /// The names of `registry`, for help texts and messages.
    public static var names: [String] { registry.map(\.name) }

    /// Reads `relu`, `tanh`, `leaky-relu` or `leaky-relu(0.2)`; throws naming the value otherwise.
    public init(parsing spec: String) throws {
        var name = Substring(spec), parameter: Double? = nil
        if let open = spec.firstIndex(of: "("), spec.hasSuffix(")") {
            name = spec[..<open]
            let text = spec[spec.index(after: open)..<spec.index(before: spec.endIndex)]
            guard let value = Double(text), value.isFinite else {
                throw DNNError("activation '\(spec)': '\(text)' is not a number")
            }
            parameter = value
        }
        guard let entry = Self.registry.first(where: { $0.name == name }) else {
            throw DNNError("unknown activation '\(spec)'; expected one of \(Self.names.joined(separator: ", "))")
        }
        self = try entry.make(parameter)
        try function.validate()
    }

    private static func noParameter(_ name: String, _ parameter: Double?, _ activation: Activation) throws -> Activation
    {
        guard parameter == nil else { throw DNNError("activation '\(name)' takes no parameter") }
        return activation
    }
}
