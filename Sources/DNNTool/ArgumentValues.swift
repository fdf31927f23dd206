import ArgumentParser
import DNN
import Foundation

/// The library's settings that `dnn` takes as option values, by their raw names.
extension InitializationScheme: ExpressibleByArgument {}
extension TaskKind: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
extension EngineSelection: ExpressibleByArgument {}
extension ParallelStrategy: ExpressibleByArgument {}
extension DropoutSeeding: ExpressibleByArgument {}
