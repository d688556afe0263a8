package main

import (
	"net"
	"net/netip"
	"strconv"
)

// maybeLoopback reports whether addr could be a loopback address: an IP
// literal must be one; "localhost" and other names are checked once
// resolved (isLoopback). An empty host means every interface.
func maybeLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.IsLoopback()
	}
	return true
}

// isLoopback reports whether a listener's address is a loopback one.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// defaultIssuer is http://<listening address>, with "localhost" for an
// unspecified address, which no client could use.
func defaultIssuer(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}
