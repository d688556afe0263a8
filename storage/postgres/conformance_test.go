package postgres_test

import (
	"testing"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return newStore(t) })
}
