import DNN
import Foundation

/// The command's output: the course's lines on standard output, warnings on standard error, and,
/// when standard error is a terminal, a progress bar with the current cost and the time left,
/// redrawn in place on one line that fits the terminal's width and is removed at the end.
final class Console {
    private let showsProgress = isatty(STDERR_FILENO) != 0
    /// Only final lines: no cost lines, no progress bar.
    let quiet: Bool
    /// Nothing at all: the processes of a distributed job other than rank 0.
    let silent: Bool
    private var barVisible = false
    private var lastDraw = Date.distantPast

    init(quiet: Bool = false, silent: Bool = false) {
        self.quiet = quiet || silent
        self.silent = silent
    }

    /// A line of output, kept clear of the progress bar.
    func line(_ text: String) {
        guard !silent else { return }
        clearBar()
        FileHandle.standardOutput.write(Data((terminalSafe(text) + "\n").utf8))
    }

    /// A line that `--quiet` leaves out (the cost lines).
    func progressLine(_ text: String) {
        if !quiet { line(text) }
    }

    /// A warning on standard error, `dnn: warning: …`.
    func warning(_ text: String) {
        guard !silent else { return }
        clearBar()
        FileHandle.standardError.write(Data("dnn: warning: \(terminalSafe(text))\n".utf8))
    }

    /// A note on standard error, `dnn: note: …`: what the command did that the user did not say
    /// (a column left out), not a problem.
    func note(_ text: String) {
        guard !silent else { return }
        clearBar()
        FileHandle.standardError.write(Data("dnn: note: \(terminalSafe(text))\n".utf8))
    }

    /// The notes a loader left about `data`, and a warning per column whose categories were not
    /// seen in training.
    func report(_ data: Dataset, from path: String) {
        for note in data.notes { self.note(note) }
        for (column, rows) in data.unknownCategories {
            warning(
                "\(path): \(rows) row(s) hold a category of column '\(elided(column))' not seen in training; "
                    + "they get zeros in its features (--unknown-category error refuses them)")
        }
    }

    /// Redraws the bar, at most ten times a second. The estimate of the time left waits for a few
    /// passes and a second, so it does not extrapolate from the first, slower one.
    func progress(_ record: CostRecord, done: Int, of total: Int, since start: Date) {
        guard showsProgress, !quiet else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start)
        let fraction = Double(done) / Double(total)
        let left =
            done >= 3 && elapsed >= 1
            ? Self.duration(elapsed / Double(done) * Double(total - done)) + " left" : "estimating"
        let status = String(
            format: " %3d%%  %d/%d  cost %.6f  %@", Int(fraction * 100), done, total, record.cost, left)
        // One line that fits: the bar takes what the text leaves, from 10 to 30 characters.
        let columns = Self.terminalColumns()
        let width = max(0, min(30, columns - 1 - status.count - 2))
        var text = status
        if width >= 10 {
            let filled = Int(fraction * Double(width))
            text =
                "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
                + status
        }
        text = String(text.prefix(max(columns - 1, 1)))
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
        barVisible = true
    }

    func finishProgress() { clearBar() }

    private func clearBar() {
        guard barVisible else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        barVisible = false
    }

    /// The terminal's width (standard error's), 80 when it cannot be read.
    static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    private static func duration(_ seconds: Double) -> String {
        seconds < 60
            ? String(format: "%.0fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}

/// Every line the command prints goes through here (it stands in for the standard library's
/// `print` in this module): text that came from a file, a class name holding ESC or BEL say,
/// is shown, never acted on by the terminal (`terminalSafe`). Line breaks in `text` are kept.
func print(_ text: String = "") {
    Swift.print(
        text.split(separator: "\n", omittingEmptySubsequences: false).map { terminalSafe(String($0)) }
            .joined(separator: "\n"))
}
