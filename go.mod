module github.com/userpool/userpool

go 1.26
