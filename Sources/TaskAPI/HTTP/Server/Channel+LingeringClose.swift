import NIOCore

extension Channel {
    /// Closes after the server's last answer, as nginx's lingering close: the output at once, so the client sees
    /// the end of the answer, and the whole connection once the client closes its side or `linger` has passed.
    /// Reading on meanwhile (and dropping what arrives) keeps an unread request from resetting the connection
    /// before the client has read the answer.
    func lingeringClose(after linger: TimeAmount) {
        close(mode: .output, promise: nil)
        eventLoop.scheduleTask(in: linger) { self.close(promise: nil) }
    }
}
