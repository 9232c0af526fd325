//! Requests and replies between clients and the daemon, over a private local socket.
