package storagetest

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

// t0 is the suite's "now". Every time is t0 plus whole seconds.
var t0 = time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)

// pid is the pool most tests use.
const pid = "eu-west-1_Test"

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails unless err matches target (nil meaning success).
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

// wantSentinelFree fails unless err is an error that is neither
// storage.ErrNotFound nor storage.ErrConflict.
func wantSentinelFree(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil || errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) {
		t.Fatalf("%s: got error %v, want one matching neither ErrNotFound nor ErrConflict", what, err)
	}
}

// equal compares records the way a database round trip allows: times by
// instant, empty and nil maps and slices alike, logins as a set.
func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(canon(reflect.ValueOf(got)), canon(reflect.ValueOf(want))) {
		t.Fatalf("%s:\ngot  %+v\nwant %+v", what, got, want)
	}
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	loginsType = reflect.TypeFor[[]storage.Login]()
)

// canon turns a record into plain maps, slices and values that compare
// with reflect.DeepEqual as equal explains.
func canon(v reflect.Value) any {
	switch {
	case !v.IsValid():
		return nil
	case v.Type() == timeType:
		return v.Interface().(time.Time).UTC().Format(time.RFC3339Nano)
	case v.Type() == loginsType:
		logins := slices.Clone(v.Interface().([]storage.Login))
		slices.SortFunc(logins, func(a, b storage.Login) int {
			return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.Name, b.Name))
		})
		v = reflect.ValueOf(logins)
	}
	switch v.Kind() {
	case reflect.Struct:
		m := make(map[string]any, v.NumField())
		for i := range v.NumField() {
			m[v.Type().Field(i).Name] = canon(v.Field(i))
		}
		return m
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = canon(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.Len() == 0 {
			return nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[fmt.Sprint(it.Key().Interface())] = canon(it.Value())
		}
		return out
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return []any{canon(v.Elem())} // a pointer to zero differs from nil
	default:
		return v.Interface()
	}
}

// listAll follows cursors from the first page to the last, checking that
// no page exceeds limit.
func listAll[T any](t *testing.T, limit int, list func(storage.PageRequest) (storage.Page[T], error)) []T {
	t.Helper()
	var all []T
	req := storage.PageRequest{Limit: limit}
	for range 1000 {
		page, err := list(req)
		must(t, err)
		if len(page.Items) > limit {
			t.Fatalf("page of %d items, limit %d", len(page.Items), limit)
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			return all
		}
		req.Cursor = page.Next
	}
	t.Fatal("listing did not end after 1000 pages")
	return nil
}

// pageSizes lists every page and returns the sizes of the pages, so a test
// can see that the last page holding records is the one without Next.
func pageSizes[T any](t *testing.T, limit int, list func(storage.PageRequest) (storage.Page[T], error)) []int {
	t.Helper()
	var sizes []int
	req := storage.PageRequest{Limit: limit}
	for range 1000 {
		page, err := list(req)
		must(t, err)
		sizes = append(sizes, len(page.Items))
		if page.Next == "" {
			return sizes
		}
		req.Cursor = page.Next
	}
	t.Fatal("listing did not end after 1000 pages")
	return nil
}
