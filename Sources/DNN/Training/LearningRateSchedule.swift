/// How the learning rate changes as training goes on: the rate for the epochs after `epoch`
/// (counted from 0), given the initial rate α₀. Applied after each epoch of mini-batches, or each
/// iteration of full-batch training, as the course's optimisation notebook applies it.
///
/// Adding a schedule: one file with a conforming type and a static member of
/// `LearningRateSchedule`, and one line in `LearningRateSchedule.registry`.
public protocol ScheduleFunction: Sendable {
    /// The settings by name, as the command line takes them and the model file stores them.
    var settings: [(name: String, value: Double)] { get }
    /// α after epoch `epoch`.
    func rate(initial: Double, afterEpoch epoch: Int) -> Double
    /// Throws, naming the setting, when a setting is out of its range.
    func validate() throws
}

extension ScheduleFunction {
    /// By default nothing to check: the schedule has no settings with a range.
    public func validate() throws {}
}

/// A learning-rate schedule with its settings: `constant`, `inverseTime(rate:)` (the course's
/// `update_lr`), `scheduled(rate:interval:)` (its `schedule_lr_decay`).
public struct LearningRateSchedule: Sendable, NamedSettingsValue {
    /// The name on the command line (`--decay`) and in the model file.
    public let name: String
    /// The rate formula and its settings.
    public let function: any ScheduleFunction

    /// A schedule named `name` computed by `function`; the name should be the one in `registry`.
    public init(name: String, function: any ScheduleFunction) {
        self.name = name
        self.function = function
    }

    var settingValues: [(name: String, value: Double)] { function.settings }

    /// Every schedule by name, made from settings given by name. The one list to extend.
    static let registry: [(name: String, make: @Sendable ([String: Double]) throws -> LearningRateSchedule)] = [
        ("none", { _ in .constant }),
        ("inverse-time", { .inverseTime(rate: $0["rate"] ?? 1) }),
        ("scheduled", { .scheduled(rate: $0["rate"] ?? 1, interval: Int($0["interval"] ?? 1000)) }),
    ]

    /// The names of `registry`, for help texts and messages: none, inverse-time, scheduled.
    public static var names: [String] { registry.map(\.name) }

    /// The schedule `name` with the `settings` it takes (missing ones take their defaults, others are ignored);
    /// throws, naming it, for an unknown name or a setting out of its range.
    public init(named name: String, settings: [String: Double] = [:]) throws {
        guard let entry = Self.registry.first(where: { $0.name == name }) else {
            throw DNNError("unknown schedule '\(name)'; expected one of \(Self.names.joined(separator: ", "))")
        }
        self = try entry.make(settings)
        try function.validate()
    }

    /// Whether the rate ever changes.
    public var isConstant: Bool { name == Self.constant.name }
}

extension LearningRateSchedule {
    /// `{"name": "scheduled", "rate": 1, "interval": 1000}`.
    public init(from decoder: any Decoder) throws {
        try self.init(decodingNamed: try decoder.container(keyedBy: SettingKey.self))
    }
}
