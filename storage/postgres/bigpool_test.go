package postgres_test

func closeBig() {}
