package cognitoapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestResourceServersWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	pool := aws.String(e.poolID)
	for _, id := range []string{"https://orders.example", "https://billing.example", "https://stock.example"} {
		out, err := e.client.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String(id), Name: aws.String("api"),
			Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("Read")}}})
		if err != nil || aws.ToString(out.ResourceServer.Identifier) != id || aws.ToString(out.ResourceServer.UserPoolId) != e.poolID {
			t.Fatalf("CreateResourceServer(%s) = %+v, %v", id, out, err)
		}
	}
	_, err := e.client.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://orders.example"), Name: aws.String("again")})
	wantCode(t, "duplicate", err, "InvalidParameterException")

	// Pages of two, in creation order.
	var ids []string
	in := &cip.ListResourceServersInput{UserPoolId: pool, MaxResults: aws.Int32(2)}
	for pages := 0; ; pages++ {
		out, err := e.client.ListResourceServers(ctx, in)
		if err != nil || pages > 2 {
			t.Fatalf("ListResourceServers: %+v, %v", out, err)
		}
		for _, rs := range out.ResourceServers {
			ids = append(ids, aws.ToString(rs.Identifier))
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(ids) != 3 || ids[0] != "https://orders.example" || ids[2] != "https://stock.example" {
		t.Fatalf("listed %v", ids)
	}
	_, err = e.client.ListResourceServers(ctx, &cip.ListResourceServersInput{UserPoolId: pool, MaxResults: aws.Int32(2), NextToken: aws.String("bm9wZQ")})
	wantCode(t, "stale token", err, "InvalidParameterException")

	up, err := e.client.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://orders.example"), Name: aws.String("Orders"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("write"), ScopeDescription: aws.String("Write")}}})
	if err != nil || aws.ToString(up.ResourceServer.Name) != "Orders" || len(up.ResourceServer.Scopes) != 1 {
		t.Fatalf("UpdateResourceServer = %+v, %v", up, err)
	}
	got, err := e.client.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://orders.example")})
	if err != nil || aws.ToString(got.ResourceServer.Scopes[0].ScopeName) != "write" {
		t.Fatalf("DescribeResourceServer = %+v, %v", got, err)
	}
	if _, err := e.client.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://orders.example")}); err != nil {
		t.Fatalf("DeleteResourceServer: %v", err)
	}
	_, err = e.client.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://orders.example")})
	wantCode(t, "deleted", err, "ResourceNotFoundException")
	_, err = e.client.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://orders.example")})
	wantCode(t, "deleted twice", err, "ResourceNotFoundException")
}
