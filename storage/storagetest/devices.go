package storagetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

var deviceTests = []test{
	{"PutGetReplace", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		d := newDevice(pid, "d1", "s1")
		must(t, s.PutDevice(t.Context(), d))
		got, err := s.GetDevice(t.Context(), pid, "d1")
		must(t, err)
		equal(t, "GetDevice", got, d)
		d.Remembered, d.Name, d.LastAuthenticatedAt = true, "renamed", t0.Add(time.Hour)
		must(t, s.PutDevice(t.Context(), d))
		got, err = s.GetDevice(t.Context(), pid, "d1")
		must(t, err)
		equal(t, "GetDevice after the second PutDevice", got, d)
	}},
	{"ReplaceMovesOwner", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		createUser(t, s, newUser(pid, "s2", "bob"))
		must(t, s.PutDevice(t.Context(), newDevice(pid, "d1", "s1")))
		must(t, s.PutDevice(t.Context(), newDevice(pid, "d1", "s2")))
		for sub, want := range map[string]int{"s1": 0, "s2": 1} {
			page, err := s.ListDevices(t.Context(), pid, sub, storage.PageRequest{Limit: 5})
			must(t, err)
			if len(page.Items) != want {
				t.Errorf("ListDevices %s: got %d devices, want %d", sub, len(page.Items), want)
			}
		}
		// Deleting the old owner leaves the device to the new one.
		must(t, s.DeleteUser(t.Context(), pid, "s1"))
		_, err := s.GetDevice(t.Context(), pid, "d1")
		must(t, err)
	}},
	{"PutMissingUser", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		wantErr(t, "PutDevice", s.PutDevice(t.Context(), newDevice(pid, "d1", "nope")), storage.ErrNotFound)
	}},
	{"ListOrderedPaged", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		createUser(t, s, newUser(pid, "s2", "bob"))
		for _, d := range [][2]string{{"d3", "s1"}, {"d1", "s1"}, {"d2", "s2"}, {"d4", "s1"}} {
			must(t, s.PutDevice(t.Context(), newDevice(pid, d[0], d[1])))
		}
		var keys []string
		for _, d := range listAll(t, 2, func(r storage.PageRequest) (storage.Page[storage.Device], error) {
			return s.ListDevices(t.Context(), pid, "s1", r)
		}) {
			keys = append(keys, d.Key)
		}
		equal(t, "device keys of s1", keys, []string{"d1", "d3", "d4"})
	}},
	{"Delete", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		must(t, s.PutDevice(t.Context(), newDevice(pid, "d1", "s1")))
		must(t, s.DeleteDevice(t.Context(), pid, "d1"))
		_, err := s.GetDevice(t.Context(), pid, "d1")
		wantErr(t, "GetDevice after DeleteDevice", err, storage.ErrNotFound)
		wantErr(t, "second DeleteDevice", s.DeleteDevice(t.Context(), pid, "d1"), storage.ErrNotFound)
		page, err := s.ListDevices(t.Context(), pid, "s1", storage.PageRequest{Limit: 5})
		must(t, err)
		if len(page.Items) != 0 {
			t.Errorf("ListDevices after DeleteDevice: got %d devices, want none", len(page.Items))
		}
	}},
	{"CopiesAreIndependent", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		d := newDevice(pid, "d1", "s1")
		must(t, s.PutDevice(t.Context(), d))
		d.Attributes["device_name"], d.SRP.Salt[0] = "scribbled", 99
		got, err := s.GetDevice(t.Context(), pid, "d1")
		must(t, err)
		equal(t, "GetDevice after changing PutDevice's argument", got, newDevice(pid, "d1", "s1"))
		got.Attributes["device_name"], got.SRP.Verifier[0] = "scribbled", 99
		got, err = s.GetDevice(t.Context(), pid, "d1")
		must(t, err)
		equal(t, "GetDevice after changing a returned device", got, newDevice(pid, "d1", "s1"))
	}},
}
