/// Stops the program with `message` when `condition` is false.
///
/// Used for programming errors (a shape that cannot work, a size that is not positive): the same
/// contract as `precondition`, but the message is kept in optimised builds too, so a user always
/// learns which function failed and with which shapes. Data problems (files, user input) throw
/// instead; see the README.
@inline(__always)
func requireValid(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String
) {
    if !condition() { fatalError(message()) }
}
