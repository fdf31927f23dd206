import Foundation

/// How the parameters move after each gradient: one step on one parameter, in place, with the
/// state the optimiser keeps for it (as mlx-swift's optimisers are written, one type per rule).
///
/// The state of a parameter of n entries is `stateCount`·n numbers in one buffer (slot s at
/// offset s·n), zero at the start; `step` is t, the steps taken so far including this one.
/// `update` may be given a slice of a parameter (`count` entries from some offset, with the
/// state pointer at the same offset): slot s then starts `slotStride`·s further on, n being
/// `slotStride`, so that threads can step disjoint slices at once.
///
/// Adding an optimiser: one file with a type conforming to this protocol and a static member of
/// `Optimizer`, and one line in `Optimizer.registry` (the command line and the model file).
public protocol OptimizerFunction: Sendable {
    /// Moments kept per parameter entry: 0 for gradient descent, 1 for momentum, 2 for Adam.
    var stateCount: Int { get }
    /// The settings, by name, as the command line takes them and the model file stores them.
    var settings: [(name: String, value: Double)] { get }
    /// Whether the step stays in the span of the gradients, as the dual path needs (it keeps
    /// W1 = a·W1(0) + C·Xᵀ): `plain` (W −= α·g) or `heavyBall(β)` (v = β·v + (1 − β)·g,
    /// W −= α·v); nil for steps that scale each entry on its own (Adam).
    var linearForm: LinearOptimizerForm? { get }
    /// Throws, naming the setting, when a setting is out of its range.
    func validate() throws

    /// One step on `count` entries in place: `parameter` moves against `gradient`, at learning rate `rate`,
    /// with the entries' state at `state` (slot s at `state + slotStride`·s) and t = `step`.
    func update(
        _ parameter: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, state: UnsafeMutablePointer<Double>,
        count: Int, slotStride: Int, rate: Double, step: Int)
    /// The same step in float32 (`rate` still a Double).
    func update(
        _ parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, state: UnsafeMutablePointer<Float>,
        count: Int, slotStride: Int, rate: Double, step: Int)
}

extension OptimizerFunction {
    /// By default nothing to check: the optimiser has no settings with a range.
    public func validate() throws {}
}

/// The steps the dual path can follow (see `OptimizerFunction.linearForm`).
public enum LinearOptimizerForm: Sendable, Equatable {
    /// W −= α·g.
    case plain
    /// v = β·v + (1 − β)·g, W −= α·v.
    case heavyBall(beta: Double)
}

/// An optimiser with its settings: `gradientDescent`, `momentum(beta:)`, `adam(beta1:beta2:epsilon:)`,
/// `rmsprop(beta:epsilon:)`.
/// Two are equal when their names and settings are.
public struct Optimizer: Sendable, NamedSettingsValue {
    /// The name on the command line and in the model file: gd, momentum, adam, rmsprop.
    public let name: String
    /// The step and its settings.
    public let function: any OptimizerFunction

    /// An optimiser named `name` stepping by `function`; the name should be the one in `registry`.
    public init(name: String, function: any OptimizerFunction) {
        self.name = name
        self.function = function
    }

    var settingValues: [(name: String, value: Double)] { function.settings }

    /// Every optimiser by name, with how to make it from settings given by name (missing ones
    /// take their defaults). The one list to extend.
    static let registry: [(name: String, make: @Sendable ([String: Double]) throws -> Optimizer)] = [
        ("gd", { _ in .gradientDescent }),
        ("momentum", { .momentum(beta: $0["beta"] ?? 0.9) }),
        ("adam", { .adam(beta1: $0["beta1"] ?? 0.9, beta2: $0["beta2"] ?? 0.999, epsilon: $0["epsilon"] ?? 1e-8) }),
        ("rmsprop", { .rmsprop(beta: $0["beta"] ?? 0.9, epsilon: $0["epsilon"] ?? 1e-8) }),
    ]

    /// The names of `registry`, for help texts and messages: gd, momentum, adam, rmsprop.
    public static var names: [String] { registry.map(\.name) }

    /// The optimiser `name` with the `settings` it takes (others are ignored).
    public init(named name: String, settings: [String: Double] = [:]) throws {
        guard let entry = Self.registry.first(where: { $0.name == name }) else {
            throw DNNError("unknown optimizer '\(name)'; expected one of \(Self.names.joined(separator: ", "))")
        }
        self = try entry.make(settings)
        try function.validate()
    }

    /// The course's Adam: β1 = 0.9, β2 = 0.999, ε = 1e-8.
    public static let courseAdam = Optimizer.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
}

extension Optimizer {
    /// `{"name": "adam", "beta1": 0.9, …}`; files of version 1 wrote `{"adam": {"beta1": 0.9, …}}`,
    /// `{"momentum": {"beta": 0.9}}` or `{"gradientDescent": {}}`, also read here.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: SettingKey.self)
        if container.contains(.name) {
            try self.init(decodingNamed: container)
            return
        }
        guard let key = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .name, in: container, debugDescription: "an optimizer needs a name")
        }
        try self.init(
            checkedName: key.stringValue == "gradientDescent" ? "gd" : key.stringValue,
            settings: try container.decode([String: Double].self, forKey: key), container: container)
    }
}
